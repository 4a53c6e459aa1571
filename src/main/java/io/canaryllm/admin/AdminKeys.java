package io.canaryllm.admin;

import io.canaryllm.call.RequestBody;
import io.canaryllm.call.ResponseBody;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.auth.ApiKey;
import io.canaryllm.auth.KeyCache;
import io.canaryllm.auth.KeyStore;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.auth.KeyLimits;
import io.canaryllm.limits.KeyLimitsJson;
import io.canaryllm.limits.Limits;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/keys}: create (the secret is shown once), list and show without secrets, change limits, revoke.
 * Master key only. Limits ({@link KeyLimitsJson}) sit beside {@code name}; a change reaches every replica within
 * one second (the key cache's lifetime) and this one at once. The route parses the bodies of POST and PATCH with
 * Camel's Jackson data format ({@code unmarshal} in routes/admin.camel.yaml), so these steps get a {@link JsonNode}.
 */
public final class AdminKeys {
    private final KeyStore store;
    private final KeyCache cache;
    private final Limits limits;

    public AdminKeys(KeyStore store, KeyCache cache, Limits limits) {
        this.store = store;
        this.cache = cache;
        this.limits = limits;
    }

    /** {@code POST /admin/keys} {"name", "models", "rpm", "tpm", "budget", "expires_at"} → 201 {"id", "name", "key", …}. */
    public Processor create() {
        return exchange -> {
            JsonNode body = readBody(exchange.getMessage());
            String name = name(body.path("name"));
            KeyLimits keyLimits = KeyLimitsJson.apply(KeyLimits.NONE, body);
            KeyStore.Created created = store.create(name, keyLimits);
            Map<String, Object> out = describe(created.key());
            out.put("key", created.secret());
            reply(exchange, 201, out);
        };
    }

    /** {@code GET /admin/keys/{id}}. */
    public Processor get() {
        return exchange -> reply(exchange, 200, describe(find(exchange)));
    }

    /** {@code PATCH /admin/keys/{id}}: the fields present change ({@code null} removes a limit), the others stay. */
    public Processor change() {
        return exchange -> {
            ApiKey key = find(exchange);
            JsonNode body = readBody(exchange.getMessage());
            String name = body.has("name") ? name(body.get("name")) : key.name();
            KeyLimits changed = KeyLimitsJson.apply(key.limits(), body);
            ApiKey now = store.change(key.id(), name, changed).orElseThrow(() -> notFound(key.id()));
            cache.invalidate();
            if (body.has("budget")) limits.budgetChanged(key.id());
            reply(exchange, 200, describe(now));
        };
    }

    private ApiKey find(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    private static GatewayError notFound(String id) {
        return new GatewayError(404, "invalid_request_error", "key_not_found", "id", "No API key has id '" + id + "'.", Map.of());
    }

    private static String name(JsonNode name) {
        if (!name.isTextual() || name.asText().isBlank()) {
            throw GatewayError.badRequest("name", "Missing required parameter: 'name' (a non-empty string).");
        }
        if (name.asText().length() > 200) throw GatewayError.badRequest("name", "'name' is longer than 200 characters.");
        return name.asText().trim();
    }

    /** {@code GET /admin/keys}. */
    public Processor list() {
        return exchange -> {
            List<Map<String, Object>> keys = store.list().stream().map(AdminKeys::describe).toList();
            reply(exchange, 200, Map.of("object", "list", "data", keys));
        };
    }

    /** {@code DELETE /admin/keys/{id}}: effective at once here, within one second on every replica. */
    public Processor revoke() {
        return exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            ApiKey key = store.revoke(id).orElseThrow(() -> notFound(id));
            cache.invalidate();
            reply(exchange, 200, describe(key));
        };
    }

    private static Map<String, Object> describe(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("prefix", k.prefix());
        m.put("created_at", k.createdAt().toString());
        m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        m.put("active", k.active() && !k.limits().expired(java.time.Instant.now()));
        m.putAll(KeyLimitsJson.describe(k.limits()));
        return m;
    }

    /**
     * The route's step when its {@code unmarshal} failed: a 400 that says why (no body at all, or not JSON), in the
     * gateway's OpenAI-shaped error format (routes/error-handling.camel.yaml answers the exception).
     */
    public Processor notJson() {
        return exchange -> {
            byte[] bytes = RequestBody.bytes(exchange.getMessage().getBody());
            if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) throw notAnObject();
            throw GatewayError.badRequest(null, "The request body is not valid JSON.");
        };
    }

    /** The body as the route's {@code unmarshal} (Camel's Jackson data format) parsed it: a JSON object. */
    private static JsonNode readBody(Message in) {
        JsonNode node = in.getBody(JsonNode.class);
        if (node == null || !node.isObject()) throw notAnObject();
        return node;
    }

    private static GatewayError notAnObject() {
        return GatewayError.badRequest(null, "The request body must be a JSON object.");
    }

    private static void reply(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(ResponseBody.of(Json.bytes(body)));
    }
}
