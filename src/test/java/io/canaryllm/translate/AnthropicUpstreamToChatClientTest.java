package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic upstream stream → OpenAI Chat client, with the section 8 regressions of that path. */
class AnthropicUpstreamToChatClientTest {

    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":90,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}\n\n";
    private static final String TEXT = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
    private static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\"},\"usage\":{\"output_tokens\":20}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static String tool(int index, String id, String... fragments) {
        StringBuilder sb = new StringBuilder("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index
                + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"f\",\"input\":{}}}\n\n");
        for (String f : fragments) {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(index)
                    .append(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"").append(f.replace("\"", "\\\"")).append("\"}}\n\n");
        }
        return sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(index).append("}\n\n").toString();
    }

    private static StreamTranslator translator(boolean usage) {
        return Translators.of(Protocol.ANTHROPIC, Protocol.OPENAI_CHAT, usage, "gpt-x");
    }

    @Test
    void shouldNumberToolCallsByCountNotByBlockIndex() { // pitfall 2
        String out = Streams.run(translator(false), START + TEXT + tool(1, "toolu_a", "{\"a\":", "1}") + tool(2, "toolu_b", "{}") + END.formatted("tool_use"), true);
        List<JsonNode> calls = Streams.json(out).stream()
                .flatMap(c -> java.util.stream.StreamSupport.stream(c.path("choices").path(0).path("delta").path("tool_calls").spliterator(), false))
                .toList();
        assertEquals(List.of(0, 0, 0, 1, 1), calls.stream().map(c -> c.path("index").asInt()).toList());
        assertEquals("toolu_a", calls.get(0).path("id").asText());
        assertFalse(calls.get(1).has("id"), "id only on the first fragment");
        assertEquals("{\"a\":1}", calls.get(1).path("function").path("arguments").asText() + calls.get(2).path("function").path("arguments").asText());
        assertTrue(out.contains("\"finish_reason\":\"tool_calls\""));
        assertTrue(out.endsWith("data: [DONE]\n\n"));
    }

    @Test
    void shouldStartWithRoleChunk() {
        String out = Streams.run(translator(false), START + TEXT + END.formatted("end_turn"), true);
        JsonNode first = Streams.json(out).getFirst();
        assertEquals("assistant", first.path("choices").path(0).path("delta").path("role").asText());
    }

    @Test
    void shouldSendUsageChunkExactlyOnceOnlyWhenAsked() { // section 8 "usage duplicated or missing"
        String withUsage = Streams.run(translator(true), START + TEXT + END.formatted("end_turn"), true);
        List<JsonNode> usageChunks = Streams.json(withUsage).stream().filter(c -> c.has("usage")).toList();
        assertEquals(1, usageChunks.size());
        assertEquals(0, usageChunks.getFirst().path("choices").size());
        assertEquals(100, usageChunks.getFirst().path("usage").path("prompt_tokens").asInt(), "prompt_tokens includes cache reads");
        assertEquals(90, usageChunks.getFirst().path("usage").path("prompt_tokens_details").path("cached_tokens").asInt());
        assertEquals(20, usageChunks.getFirst().path("usage").path("completion_tokens").asInt());

        String without = Streams.run(translator(false), START + TEXT + END.formatted("end_turn"), true);
        assertFalse(without.contains("\"usage\""), without);
    }

    @Test
    void shouldMapStopReasons() {
        assertTrue(Streams.run(translator(false), START + TEXT + END.formatted("max_tokens"), true).contains("\"finish_reason\":\"length\""));
        assertTrue(Streams.run(translator(false), START + TEXT + END.formatted("refusal"), true).contains("\"finish_reason\":\"content_filter\""));
        assertTrue(Streams.run(translator(false), START + TEXT + END.formatted("stop_sequence"), true).contains("\"finish_reason\":\"stop\""));
    }

    @Test
    void shouldTurnUpstreamErrorEventIntoChatErrorLineWithoutDone() {
        String out = Streams.run(translator(true), START + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", true);
        JsonNode last = Streams.json(out).getLast();
        assertEquals("Overloaded", last.path("error").path("message").asText());
        assertEquals("server_error", last.path("error").path("type").asText());
        assertFalse(out.contains("[DONE]"));
        assertFalse(out.contains("finish_reason\":\"stop"));
    }

    @Test
    void shouldAnswerAStreamWithoutMessageStopWithAnError() {
        String out = Streams.run(translator(true), START + TEXT, true);
        assertTrue(Streams.json(out).getLast().has("error"), out);
        assertFalse(out.contains("[DONE]"));
    }

    @Test
    void shouldIgnorePingsUnknownEventsAndUnknownBlocks() {
        String noise = "event: ping\ndata: {\"type\": \"ping\"}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: future_event\ndata: {\"type\":\"future_event\"}\n\n";
        String text = TEXT.replace("\"index\":0", "\"index\":1");
        String out = Streams.run(translator(false), START + noise + text + END.formatted("end_turn"), true);
        long contentChunks = Streams.json(out).stream().filter(c -> c.path("choices").path(0).path("delta").has("content")).count();
        assertEquals(2, contentChunks); // role chunk ("") + "Hi"
        assertTrue(out.endsWith("data: [DONE]\n\n"));
    }
}
