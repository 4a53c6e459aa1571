package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ToolIds;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static io.canaryllm.translate.Streams.chatChunk;
import static io.canaryllm.translate.Streams.chatUsage;
import static io.canaryllm.translate.Streams.toolArgs;
import static io.canaryllm.translate.Streams.toolStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI-compatible upstream stream → Anthropic client, with the section 8 regressions of that path. */
class ChatUpstreamToAnthropicClientTest {

    private static StreamTranslator translator() {
        return Translators.of(Protocol.OPENAI_CHAT, Protocol.ANTHROPIC, false, "claude-x", 1234);
    }

    private static String deltasOf(List<JsonNode> data, int block) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : data) {
            if ("content_block_delta".equals(d.path("type").asText()) && d.path("index").asInt() == block) {
                sb.append(d.path("delta").path("partial_json").asText(""));
            }
        }
        return sb.toString();
    }

    @Test
    void shouldKeepEveryStreamedArgumentFragment() { // pitfall 1 / section 8 "streamed tool arguments lost"
        String upstream = chatChunk("{\"role\":\"assistant\",\"content\":null}", null)
                + toolStart(0, "call_a", "Bash") + toolArgs(0, "{\"comm") + toolArgs(0, "and\":\"ls") + toolArgs(0, " -la\"}")
                + chatChunk("{}", "tool_calls") + chatUsage(10, 5, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        assertEquals("{\"command\":\"ls -la\"}", deltasOf(Streams.json(out), 0));
    }

    @Test
    void shouldGiveEachParallelCallItsOwnBlock() { // section 8 "parallel tool calls sharing index 0"
        String upstream = toolStart(0, "call_a", "add") + toolArgs(0, "{\"a\":1}")
                + toolStart(1, "call_b", "mul") + toolArgs(1, "{\"b\":2}")
                + chatChunk("{}", "tool_calls") + chatUsage(10, 5, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        List<JsonNode> data = Streams.json(out);
        List<JsonNode> starts = data.stream().filter(d -> d.path("type").asText().equals("content_block_start")).toList();
        assertEquals(2, starts.size());
        assertEquals("call_a", starts.get(0).path("content_block").path("id").asText());
        assertEquals("call_b", starts.get(1).path("content_block").path("id").asText());
        assertEquals("{\"a\":1}", deltasOf(data, 0));
        assertEquals("{\"b\":2}", deltasOf(data, 1));
    }

    @Test
    void shouldBufferInterleavedCallsAndEmitWholeBlocks() { // 5.11 step 3, compat servers
        String upstream = toolStart(0, "call_a", "add") + toolStart(1, "call_b", "mul")
                + toolArgs(0, "{\"a\":") + toolArgs(1, "{\"b\":") + toolArgs(0, "1}") + toolArgs(1, "2}")
                + chatChunk("{}", "tool_calls") + chatUsage(10, 5, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        List<JsonNode> data = Streams.json(out);
        assertEquals("{\"a\":1}", deltasOf(data, 0));
        assertEquals("{\"b\":2}", deltasOf(data, 1));
    }

    @Test
    void shouldReportToolUseWhenUpstreamSaysStopAfterToolCalls() { // section 8 "tool_use reported as end_turn"
        String upstream = toolStart(0, "call_a", "add") + toolArgs(0, "{}")
                + chatChunk("{}", "stop") + chatUsage(10, 5, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        JsonNode delta = Streams.json(out).stream().filter(d -> d.path("type").asText().equals("message_delta")).findFirst().orElseThrow();
        assertEquals("tool_use", delta.path("delta").path("stop_reason").asText());
    }

    @Test
    void shouldMapLengthToMaxTokens() {
        String upstream = chatChunk("{\"content\":\"abc\"}", null) + chatChunk("{}", "length") + chatUsage(3, 9, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        assertTrue(out.contains("\"stop_reason\":\"max_tokens\""));
    }

    @Test
    void shouldNeverOpenAnEmptyTextBlock() { // section 8 "empty text blocks"
        String upstream = chatChunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chatChunk("{\"content\":\"\"}", null)
                + toolStart(0, "call_a", "add") + toolArgs(0, "{}") + chatChunk("{}", "tool_calls") + chatUsage(1, 1, 0) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        assertFalse(out.contains("\"type\":\"text\""), out);
    }

    @Test
    void shouldPutInputTokensInMessageStartAndRealUsageOnceAtTheEnd() { // "input tokens 0 in message_start", usage doubled/missing
        String upstream = chatChunk("{\"content\":\"hi\"}", null) + chatChunk("{}", "stop") + chatUsage(1100, 7, 1000) + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        List<JsonNode> data = Streams.json(out);
        assertEquals(1234, data.getFirst().path("message").path("usage").path("input_tokens").asInt());
        JsonNode usage = data.stream().filter(d -> d.path("type").asText().equals("message_delta")).findFirst().orElseThrow().path("usage");
        assertEquals(100, usage.path("input_tokens").asInt(), "Anthropic input excludes cache reads");
        assertEquals(1000, usage.path("cache_read_input_tokens").asInt());
        assertEquals(7, usage.path("output_tokens").asInt());
    }

    @Test
    void shouldMakeUpstreamToolIdsValidForAnthropic() { // section 8 "tool ids rejected by Anthropic"
        String upstream = toolStart(0, "call:0/bash.run", "bash") + toolArgs(0, "{}") + chatChunk("{}", "tool_calls") + "data: [DONE]\n\n";
        String out = Streams.run(translator(), upstream, true);
        String id = Streams.json(out).stream().filter(d -> d.path("type").asText().equals("content_block_start"))
                .findFirst().orElseThrow().path("content_block").path("id").asText();
        assertTrue(Pattern.matches("^[a-zA-Z0-9_-]+$", id), id);
        assertEquals(id, ToolIds.forAnthropic("call:0/bash.run"), "the same id in responses and the next request");
    }

    @Test
    void shouldAnswerATruncatedStreamWithAnErrorNotAFinish() {
        String out = Streams.run(translator(), chatChunk("{\"content\":\"partial\"}", null), true);
        assertTrue(out.contains("event: error"), out);
        assertFalse(out.contains("message_stop"), out);
        assertFalse(out.contains("end_turn"), out);
    }

    @Test
    void shouldTranslateUpstreamErrorLineToAnthropicErrorFrame() {
        String out = Streams.run(translator(), chatChunk("{\"content\":\"a\"}", null)
                + "data: {\"error\":{\"message\":\"Upstream overloaded\",\"type\":\"server_error\"}}\n\n", true);
        JsonNode last = Streams.json(out).getLast();
        assertEquals("error", last.path("type").asText());
        assertEquals("api_error", last.path("error").path("type").asText());
        assertFalse(out.contains("message_stop"));
    }

    @Test
    void shouldWriteNothingAfterTheTerminalFrame() {
        StreamTranslator t = translator();
        Streams.run(t, chatChunk("{\"content\":\"a\"}", "stop") + "data: [DONE]\n\n", true);
        assertEquals(0, t.onFailure(502, null, "late").length);
        assertEquals(0, t.onUpstreamBytes("data: {}\n\n".getBytes()).length);
    }

    @Test
    void shouldReportFailureAsOverloadedErrorFrame() throws Exception {
        StreamTranslator t = translator();
        Streams.run(t, chatChunk("{\"content\":\"a\"}", null), false);
        String frame = new String(t.onFailure(529, null, "Overloaded"));
        assertTrue(frame.startsWith("event: error\n"), frame);
        assertEquals("overloaded_error", Json.MAPPER.readTree(Streams.events(frame).getFirst().data()).path("error").path("type").asText());
    }

    @Test
    void shouldCountUsageForAccounting() {
        StreamTranslator t = translator();
        Streams.run(t, chatChunk("{\"content\":\"a\"}", "stop") + chatUsage(50, 5, 10) + "data: [DONE]\n\n", true);
        assertEquals(50, t.usage().input());
        assertEquals(10, t.usage().cacheRead());
        assertEquals(5, t.usage().output());
    }
}
