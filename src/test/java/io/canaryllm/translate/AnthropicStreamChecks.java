package io.canaryllm.translate;

import io.canaryllm.wire.sse.SseEvent;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Anthropic stream invariants of DESIGN 5.2 / STYLE 5.7, asserted on a whole client stream. */
public final class AnthropicStreamChecks {
    private AnthropicStreamChecks() {}

    public static void assertValidFinishedStream(String sse) {
        List<SseEvent> events = Streams.events(sse);
        List<JsonNode> data = Streams.json(sse);
        assertEquals("message_start", events.getFirst().event(), "message_start first");
        int expectedIndex = 0;
        int open = -1;
        int messageDeltas = 0;
        for (int i = 0; i < events.size(); i++) {
            SseEvent e = events.get(i);
            JsonNode d = data.get(i);
            assertEquals(e.event(), d.path("type").asText(), "event name equals JSON type");
            switch (e.event()) {
                case "content_block_start" -> {
                    assertEquals(-1, open, "blocks never interleave");
                    assertEquals(expectedIndex++, d.path("index").asInt(), "indices count up");
                    open = d.path("index").asInt();
                }
                case "content_block_delta" -> {
                    assertEquals(open, d.path("index").asInt(), "delta for the open block");
                    if (d.path("delta").has("text")) assertFalse(d.path("delta").path("text").asText().isEmpty(), "no empty text delta");
                }
                case "content_block_stop" -> {
                    assertEquals(open, d.path("index").asInt(), "stop for the open block");
                    open = -1;
                }
                case "message_delta" -> {
                    messageDeltas++;
                    assertTrue(d.path("usage").has("output_tokens"), "message_delta carries usage");
                    assertTrue(d.path("delta").path("stop_reason").isTextual(), "message_delta carries stop_reason");
                }
                default -> { }
            }
        }
        assertEquals(-1, open, "every block stopped");
        assertEquals(1, messageDeltas, "exactly one message_delta");
        assertEquals("message_stop", events.getLast().event(), "message_stop last");
    }
}
