package io.canaryllm.translate;

import io.canaryllm.wire.sse.SseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Responses stream invariants of protocols.md 3.4 and section 9, checked on a whole client stream: every frame
 * has an {@code event:} line equal to its {@code type}; sequence numbers 0..N without gaps; created and in_progress
 * first; items added in output_index order, never interleaved, each with exactly one done with the same id and
 * index; every item event names the open item; text/arguments deltas add up to their done values; exactly one
 * terminal event, last, whose output equals the done items and which carries usage; no [DONE].
 */
final class ResponsesStreamChecks {
    static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");

    private ResponsesStreamChecks() {}

    /** @return the events' JSON, in order */
    static List<JsonNode> check(String sse) {
        List<JsonNode> events = new ArrayList<>();
        for (SseEvent e : Streams.events(sse)) {
            assertFalse(e.data().contains("[DONE]"), "no [DONE] on a Responses stream (pitfall 32)");
            JsonNode data;
            try {
                data = Json.MAPPER.readTree(e.data());
            } catch (Exception ex) {
                throw new AssertionError("not JSON: " + e.data(), ex);
            }
            assertEquals(data.path("type").asText(), e.event(), "event line equals type");
            events.add(data);
        }
        assertTrue(events.size() >= 3, "at least created, in_progress and a terminal event");
        assertEquals("response.created", events.get(0).path("type").asText());
        assertEquals("response.in_progress", events.get(1).path("type").asText());
        String responseId = events.get(0).path("response").path("id").asText();
        assertTrue(responseId.startsWith("resp_"), responseId);

        List<JsonNode> doneItems = new ArrayList<>();
        Map<String, StringBuilder> deltas = new HashMap<>();
        String openId = null;
        int openIndex = -1;
        int terminals = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode ev = events.get(i);
            String type = ev.path("type").asText();
            assertEquals(i, ev.path("sequence_number").asInt(-1), "sequence_number of " + type);
            if (TERMINAL.contains(type)) {
                terminals++;
                assertEquals(events.size() - 1, i, "terminal event is the last one");
                assertNull(openId, "every added item got its done before the end");
                JsonNode response = ev.path("response");
                assertEquals(responseId, response.path("id").asText());
                assertEquals(Json.MAPPER.valueToTree(doneItems), response.path("output"), "terminal output = done items");
                assertTrue(response.path("usage").isObject(), "usage on the terminal event");
                continue;
            }
            switch (type) {
                case "response.created", "response.in_progress" -> assertTrue(i < 2, type + " only at the start");
                case "response.output_item.added" -> {
                    assertNull(openId, "items never interleave");
                    openId = ev.path("item").path("id").asText();
                    openIndex = ev.path("output_index").asInt();
                    assertEquals(doneItems.size(), openIndex, "output_index counts items");
                    assertFalse(openId.isEmpty());
                }
                case "response.output_item.done" -> {
                    assertEquals(openId, ev.path("item").path("id").asText(), "done names the added item");
                    assertEquals(openIndex, ev.path("output_index").asInt());
                    JsonNode item = ev.path("item");
                    String key = openId;
                    switch (item.path("type").asText()) {
                        case "message" -> assertEquals(text(deltas, key), item.path("content").path(0).path("text").asText());
                        case "function_call" -> assertEquals(text(deltas, key), item.path("arguments").asText());
                        case "custom_tool_call" -> assertEquals(text(deltas, key), item.path("input").asText());
                        case "reasoning" -> {
                            String summary = item.path("summary").isEmpty() ? "" : item.path("summary").path(0).path("text").asText();
                            assertEquals(text(deltas, key), summary);
                        }
                        default -> fail("unexpected item type " + item);
                    }
                    doneItems.add(item);
                    openId = null;
                }
                case "error" -> assertNull(openId, "open items are closed before the error");
                default -> {
                    assertNotNull(openId, type + " outside an item");
                    assertEquals(openId, ev.path("item_id").asText(), type + " item_id");
                    assertEquals(openIndex, ev.path("output_index").asInt(), type + " output_index");
                    if (type.endsWith(".delta")) deltas.computeIfAbsent(openId, k -> new StringBuilder()).append(ev.path("delta").asText());
                    if (type.equals("response.output_text.done")) assertEquals(text(deltas, openId), ev.path("text").asText());
                    if (type.equals("response.function_call_arguments.done")) assertEquals(text(deltas, openId), ev.path("arguments").asText());
                    if (type.equals("response.custom_tool_call_input.done")) assertEquals(text(deltas, openId), ev.path("input").asText());
                }
            }
        }
        assertEquals(1, terminals, "exactly one terminal event");
        return events;
    }

    private static String text(Map<String, StringBuilder> deltas, String id) {
        StringBuilder sb = deltas.get(id);
        return sb == null ? "" : sb.toString();
    }
}
