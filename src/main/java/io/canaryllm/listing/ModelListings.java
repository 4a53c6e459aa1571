package io.canaryllm.listing;

import io.canaryllm.call.ResponseBody;

import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.ModelSpec;
import io.canaryllm.catalogue.Prices;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.Json;
import io.canaryllm.auth.KeyLimits;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue as clients read it. Both answers are computed once: the catalogue does not change while the
 * gateway runs.
 */
public final class ModelListings {
    private static final long CREATED = 1_767_225_600L; // 2026-01-01, a fixed "created" for the OpenAI list format
    private final byte[] publicModels;
    private final byte[] openAiList;
    private final List<Map<String, Object>> openAiEntries;
    private final List<Map<String, Object>> piEntries;

    public ModelListings(Catalogue catalogue) {
        this.piEntries = piEntries(catalogue);
        this.publicModels = Json.bytes(Map.of("data", publicEntries(catalogue)));
        this.openAiEntries = openAiEntries(catalogue);
        this.openAiList = Json.bytes(Map.of("object", "list", "data", openAiEntries));
    }

    /**
     * {@code GET /api/public/models}: prices per token with the markup applied, rounded to four significant digits
     * (the ledger bills the exact price). With {@code ?format=pi}: a
     * {@code providers.canary} block ready for pi's {@code ~/.pi/agent/models.json}, pointing at this gateway as the
     * caller reached it, prices per million tokens as pi counts them, the key read from {@code CANARYLLM_API_KEY}.
     */
    public Processor publicModels() {
        return exchange -> {
            if ("pi".equals(exchange.getMessage().getHeader("format", String.class))) {
                // platform-http filters Host out of the Camel headers; the Vert.x request still has it
                String host = exchange.getIn() instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http
                        && http.getRequest().host() != null ? http.getRequest().host() : "localhost:8080";
                json(exchange, Json.bytes(piProviders("http://" + host + "/v1")));
            } else {
                json(exchange, publicModels);
            }
        };
    }

    private Map<String, Object> piProviders(String baseUrl) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (Map<String, Object> entry : piEntries) {
            Map<String, Object> m = new LinkedHashMap<>(entry);
            m.put("name", entry.get("id"));
            models.add(m);
        }
        Map<String, Object> canary = new LinkedHashMap<>();
        canary.put("baseUrl", baseUrl);
        canary.put("api", "openai-completions");
        canary.put("apiKey", "CANARYLLM_API_KEY");
        canary.put("models", models);
        return Map.of("providers", Map.of("canary", canary));
    }

    /** {@code GET /v1/models}: the OpenAI list format; a key limited to some models sees only those. */
    public Processor openAiModels() {
        return exchange -> {
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            KeyLimits limits = call == null || call.key == null ? KeyLimits.NONE : call.key.limits();
            if (limits.models() == null) {
                json(exchange, openAiList);
                return;
            }
            // an alias is listed when the model it stands for is allowed (the limit is checked on that model)
            List<Map<String, Object>> allowed = openAiEntries.stream()
                    .filter(e -> limits.allowsModel((String) e.getOrDefault("alias_of", e.get("id")))).toList();
            json(exchange, Json.bytes(Map.of("object", "list", "data", allowed)));
        };
    }

    private static void json(Exchange exchange, byte[] body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(ResponseBody.of(body));
    }

    static List<Map<String, Object>> publicEntries(Catalogue catalogue) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelSpec m : catalogue.models()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", m.id());
            e.put("provider", m.provider());
            e.put("name", m.id().substring(m.provider().length() + 1));
            e.put("contextWindow", m.contextWindow());
            e.put("maxTokens", m.maxTokens());
            e.put("input", m.input());
            e.put("reasoning", m.reasoning());
            catalogue.publishedPrices(m).ifPresent(p -> e.put("cost", cost(p)));
            out.add(e);
        }
        // an alias, as the model it stands for: same limits and the price of what it routes to
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        out.forEach(e -> byId.put((String) e.get("id"), e));
        catalogue.aliases().forEach((alias, target) -> {
            Map<String, Object> e = new LinkedHashMap<>(byId.get(target));
            e.put("id", alias);
            e.put("name", alias);
            e.put("alias_of", target);
            out.add(e);
        });
        return out;
    }

    /**
     * pi's model entries: the public ones with the published prices per million tokens (protocol-free: pi calls
     * /v1/chat/completions), and reasoning off.
     */
    private static List<Map<String, Object>> piEntries(Catalogue catalogue) {
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : publicEntries(catalogue)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.get("id"));
            // Always false for pi: thinking is handled inside the gateway (it sets each provider's reasoning
            // parameters itself), so pi must not send its own reasoning parameters. The plain format keeps the flag.
            m.put("reasoning", false);
            m.put("input", e.get("input"));
            m.put("contextWindow", e.get("contextWindow"));
            m.put("maxTokens", e.get("maxTokens"));
            @SuppressWarnings("unchecked") Map<String, BigDecimal> cost = (Map<String, BigDecimal>) e.get("cost");
            Map<String, BigDecimal> perMillion = new LinkedHashMap<>();
            if (cost != null) cost.forEach((k, v) -> perMillion.put(k, v.multiply(million).stripTrailingZeros()));
            m.put("cost", perMillion);
            out.add(m);
        }
        return out;
    }

    private static Map<String, BigDecimal> cost(Prices p) {
        Map<String, BigDecimal> c = new LinkedHashMap<>();
        c.put("input", p.input());
        c.put("output", p.output());
        c.put("cacheRead", p.cacheRead());
        c.put("cacheWrite", p.cacheWrite());
        return c;
    }

    private static List<Map<String, Object>> openAiEntries(Catalogue catalogue) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelSpec m : catalogue.models()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", m.id());
            e.put("object", "model");
            e.put("created", CREATED);
            e.put("owned_by", m.provider());
            out.add(e);
        }
        catalogue.aliases().forEach((alias, target) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", alias);
            e.put("object", "model");
            e.put("created", CREATED);
            e.put("owned_by", target.substring(0, target.indexOf('/')));
            e.put("alias_of", target);
            out.add(e);
        });
        return out;
    }
}
