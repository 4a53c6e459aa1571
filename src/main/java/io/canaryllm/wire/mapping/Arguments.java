package io.canaryllm.wire.mapping;

import io.canaryllm.wire.sse.Sse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;

/**
 * Tool arguments between the JSON-string wires (OpenAI) and the JSON-object wires (Anthropic), protocols.md 5.5 and
 * pitfall 1: invalid JSON from a model must not fail the request.
 */
public final class Arguments {
    private Arguments() {}

    /** Empty → {@code {}}; invalid → {@code {"_raw": text}}; non-object → {@code {"value": …}}. */
    public static ObjectNode toObject(String json) {
        if (json == null || json.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node instanceof ObjectNode obj) return obj;
            ObjectNode wrapped = Json.MAPPER.createObjectNode();
            wrapped.set("value", node);
            return wrapped;
        } catch (JsonProcessingException e) {
            ObjectNode raw = Json.MAPPER.createObjectNode();
            raw.put("_raw", json);
            return raw;
        }
    }

    /** Compact JSON text, key order kept. */
    public static String toText(JsonNode input) {
        if (input == null || input.isMissingNode() || input.isNull()) return "{}";
        return Sse.json(input);
    }
}
