package io.canaryllm.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.http.Json;

/** Writes SSE frames (protocols.md section 0). */
final class Sse {
    private Sse() {}

    static String frame(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + json(data) + "\n\n";
    }

    static String dataFrame(JsonNode data) {
        return "data: " + json(data) + "\n\n";
    }

    static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
