package io.canaryllm.wire.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.Json;

/** Writes SSE frames (protocols.md section 0). */
public final class Sse {
    private Sse() {}

    public static String frame(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + json(data) + "\n\n";
    }

    public static String dataFrame(JsonNode data) {
        return "data: " + json(data) + "\n\n";
    }

    public static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
