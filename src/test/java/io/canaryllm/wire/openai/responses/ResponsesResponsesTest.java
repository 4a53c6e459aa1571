package io.canaryllm.wire.openai.responses;

import io.canaryllm.translate.ResponsesStreamEncoderTest;
import io.canaryllm.wire.mapping.ToolIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canonical answer → Responses {@code response} object (protocols.md 3.3, 5.7, 5.8, 5.12). */
class ResponsesResponsesTest {
    private static final ResponsesRequests.Decoded DECODED = ResponsesRequestsTest.decode("{'input':'x','store':false,'tools':["
            + "{'type':'custom','name':'apply_patch'},{'type':'namespace','name':'ns','tools':[{'type':'function','name':'f'}]},"
            + "{'type':'function','name':'g'}]}");

    private static ObjectNode answer(StopReason reason, Usage usage, Part... parts) {
        return ResponsesResponses.fromCanonical(new ChatResponse("up-1", "up-model", List.of(parts), reason, usage), "client-m", DECODED);
    }

    @Test
    void shouldBuildACompletedResponseWithIdsAndUsage() {
        ObjectNode r = answer(StopReason.END_TURN, new Usage(100, 20, 60, 10, 5), new Part.Text("Hel"), new Part.Text("lo"), new Part.Text(""));
        assertTrue(r.path("id").asText().matches("resp_[0-9a-f]{48}"), r.path("id").asText());
        assertEquals("response", r.path("object").asText());
        assertEquals("completed", r.path("status").asText());
        assertTrue(r.path("incomplete_details").isNull());
        assertTrue(r.path("error").isNull());
        assertEquals("client-m", r.path("model").asText());
        assertEquals(false, r.path("store").asBoolean(true));
        assertEquals(1, r.path("output").size(), "adjacent texts form one message");
        JsonNode msg = r.path("output").path(0);
        assertTrue(msg.path("id").asText().matches("msg_[0-9a-f]{48}"));
        assertEquals("Hello", msg.path("content").path(0).path("text").asText());
        assertEquals(ResponsesStreamEncoderTest.json("{'input_tokens':100,'input_tokens_details':{'cached_tokens':60,'cache_write_tokens':10},"
                + "'output_tokens':20,'output_tokens_details':{'reasoning_tokens':5},'total_tokens':120}"),
                ResponsesStreamEncoderTest.json(r.path("usage").toString()));
    }

    @Test
    void shouldMapStopsToStatus() {
        JsonNode length = answer(StopReason.MAX_TOKENS, Usage.ZERO, new Part.Text("cut"));
        assertEquals("incomplete", length.path("status").asText());
        assertEquals("max_output_tokens", length.path("incomplete_details").path("reason").asText());
        assertEquals("content_filter", answer(StopReason.CONTENT_FILTER, Usage.ZERO).path("incomplete_details").path("reason").asText());
        assertEquals("content_filter", answer(StopReason.REFUSAL, Usage.ZERO).path("incomplete_details").path("reason").asText());
        assertEquals("completed", answer(StopReason.PAUSE, Usage.ZERO).path("status").asText());
        assertEquals("completed", answer(StopReason.STOP_SEQUENCE, Usage.ZERO).path("status").asText());
        JsonNode failed = answer(StopReason.ERROR, Usage.ZERO);
        assertEquals("failed", failed.path("status").asText());
        assertEquals("server_error", failed.path("error").path("code").asText());
    }

    @Test
    void shouldGiveCallsBackUnderTheClientsNamesAndTypes() {
        String longId = "toolu_" + "x".repeat(60);
        JsonNode out = answer(StopReason.TOOL_USE, Usage.ZERO, new Part.Text("Doing it."),
                new Part.ToolCall("toolu_1", "apply_patch", "{\"input\":\"*** Begin Patch\"}"),
                new Part.ToolCall("toolu_2", "ns__f", ""),
                new Part.ToolCall(longId, "g", "{\"a\":1}"),
                new Part.ToolCall("toolu_4", "apply_patch", "raw patch text")).path("output");
        assertEquals(List.of("message", "custom_tool_call", "function_call", "function_call", "custom_tool_call"),
                java.util.stream.StreamSupport.stream(out.spliterator(), false).map(i -> i.path("type").asText()).toList());
        assertEquals("*** Begin Patch", out.path(1).path("input").asText());
        assertTrue(out.path(1).path("id").asText().startsWith("ctc_"));
        assertEquals("f", out.path(2).path("name").asText());
        assertEquals("ns", out.path(2).path("namespace").asText());
        assertEquals("{}", out.path(2).path("arguments").asText());
        assertTrue(out.path(2).path("id").asText().matches("fc_[0-9a-f]{48}"));
        assertTrue(out.path(3).path("call_id").asText().length() <= 40, "pitfall 9: OpenAI's 40-character call id limit");
        assertEquals(ToolIds.forOpenAi(longId), out.path(3).path("call_id").asText());
        assertNull(out.path(3).get("namespace"));
        assertEquals("raw patch text", out.path(4).path("input").asText());
    }

    @Test
    void shouldPutSignedThinkingInAReasoningItemThatRoundTrips() {
        JsonNode out = answer(StopReason.END_TURN, Usage.ZERO, new Part.Thinking("why", "SIG", null),
                new Part.RedactedThinking("opaque", null), new Part.Thinking("", null, null), new Part.Text("ok")).path("output");
        assertEquals(3, out.size(), "an empty unsigned thought makes no item");
        assertEquals("reasoning", out.path(0).path("type").asText());
        assertTrue(out.path(0).path("id").asText().startsWith("rs_"));
        assertEquals("why", out.path(0).path("summary").path(0).path("text").asText());
        assertEquals(new Part.Thinking("why", "canaryllm:anthropic:SIG", null), ResponsesReasoning.decode(out.path(0).path("encrypted_content").asText()));
        assertEquals(new Part.RedactedThinking("opaque", null), ResponsesReasoning.decode(out.path(1).path("encrypted_content").asText()));
        assertNull(ResponsesReasoning.decode("gAAAAABopenai"));
        assertNull(ResponsesReasoning.decode(ResponsesReasoning.PREFIX + "!!!"));
    }

    /** Codex replays the output items as the next input: they must decode to the same calls, under canonical names. */
    @Test
    void shouldDecodeItsOwnOutputItemsOnTheNextTurn() throws Exception {
        JsonNode out = answer(StopReason.TOOL_USE, Usage.ZERO, new Part.Thinking("why", "SIG", null),
                new Part.ToolCall("toolu_1", "apply_patch", "{\"input\":\"P\"}"), new Part.ToolCall("toolu_2", "ns__f", "{\"a\":1}")).path("output");
        ObjectNode next = (ObjectNode) Json.MAPPER.readTree(DECODED.clientBody().toString());
        ArrayNode input = next.putArray("input");
        input.addObject().put("role", "user").put("content", "go");
        out.forEach(input::add);
        input.addObject().put("type", "custom_tool_call_output").put("call_id", "toolu_1").put("output", "done");
        input.addObject().put("type", "function_call_output").put("call_id", "toolu_2").put("output", "done");
        var request = ResponsesRequests.toCanonical(next);
        assertEquals(List.of(new Part.Thinking("why", "canaryllm:anthropic:SIG", null), new Part.ToolCall("toolu_1", "apply_patch", "{\"input\":\"P\"}"),
                new Part.ToolCall("toolu_2", "ns__f", "{\"a\":1}")), request.messages().get(1).parts());
        assertEquals("ns__f", ((Part.ToolResult) request.messages().get(2).parts().get(1)).name());
    }
}
