package io.canaryllm.catalogue;

import io.canaryllm.http.Json;
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

    public ModelListings(Catalogue catalogue) {
        this.publicModels = Json.bytes(Map.of("data", publicEntries(catalogue)));
        this.openAiList = Json.bytes(Map.of("object", "list", "data", openAiEntries(catalogue)));
    }

    /** {@code GET /api/public/models}: prices per token with the markup applied. */
    public Processor publicModels() { return exchange -> json(exchange, publicModels); }

    /** {@code GET /v1/models}: the OpenAI list format. */
    public Processor openAiModels() { return exchange -> json(exchange, openAiList); }

    private static void json(Exchange exchange, byte[] body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.buffer(body));
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
            m.price().map(p -> p.withMarkup(catalogue.markup())).ifPresent(p -> e.put("cost", cost(p)));
            out.add(e);
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
        return out;
    }
}
