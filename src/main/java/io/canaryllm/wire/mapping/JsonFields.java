package io.canaryllm.wire.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lenient readers of request fields that every wire's decoder shares (validation ran before: no errors here). */
public final class JsonFields {
    private JsonFields() {}

    /** A number field as a double; null when absent, null or not a number. */
    public static Double doubleOrNull(JsonNode body, String field) {
        return body.hasNonNull(field) && body.get(field).isNumber() ? body.get(field).asDouble() : null;
    }

    /** An object's scalar values as strings (metadata maps); nested values and nulls are left out. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
