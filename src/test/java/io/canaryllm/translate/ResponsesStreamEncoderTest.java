package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.openai.responses.ResponsesReasoning;
import io.canaryllm.wire.openai.responses.ResponsesRequestsTest;
import io.canaryllm.wire.openai.responses.ResponsesStreamEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canonical events → Responses SSE (protocols.md 3.4, 5.11), checked with {@link ResponsesStreamChecks}. */
public class ResponsesStreamEncoderTest {

    private static String encode(ResponsesStreamEncoder enc, StreamEvent... events) {
        StringBuilder out = new StringBuilder();
        for (StreamEvent e : events) enc.encode(e, out);
        return out.toString();
    }

    private static ResponsesStreamEncoder encoder() {
        return new ResponsesStreamEncoder("m", ResponsesRequestsTest.decode(
                "{'input':'x','tools':[{'type':'custom','name':'apply_patch'},{'type':'namespace','name':'ns','tools':[{'type':'function','name':'f'}]}]}"));
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void shouldEmitTheCanonicalSequenceForAText() {
        ResponsesStreamEncoder enc = encoder();
        String sse = encode(enc, new StreamEvent.MessageStart("x", "up", new Usage(10, 0, 4, 0, 0)),
                new StreamEvent.PartStart(0, PartKind.TEXT, null, null), new StreamEvent.TextDelta(0, ""),
                new StreamEvent.TextDelta(0, "Hel"), new StreamEvent.TextDelta(0, "lo"), new StreamEvent.PartStop(0),
                new StreamEvent.MessageStop(StopReason.END_TURN, new Usage(10, 3, 4, 0, 1)));
        List<JsonNode> events = ResponsesStreamChecks.check(sse);
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed"), types(events));
        JsonNode response = events.getLast().path("response");
        assertEquals("completed", response.path("status").asText());
        assertEquals("Hello", response.path("output").path(0).path("content").path(0).path("text").asText());
        assertEquals(json("{'input_tokens':10,'input_tokens_details':{'cached_tokens':4},'output_tokens':3,"
                + "'output_tokens_details':{'reasoning_tokens':1},'total_tokens':13}"), response.path("usage"));
        assertTrue(enc.finished());
        assertEquals(response, json(enc.finalResponse().toString()));
        assertEquals(enc.responseId(), response.path("id").asText());
        assertTrue(sse.startsWith("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"));
        assertEquals("", encode(enc, new StreamEvent.TextDelta(0, "late")), "nothing after the terminal event");
    }

    @Test
    void shouldRestoreCustomAndNamespacedCalls() {
        String sse = encode(encoder(), new StreamEvent.MessageStart(null, null, Usage.ZERO),
                new StreamEvent.PartStart(0, PartKind.TOOL_CALL, "toolu_1", "apply_patch"),
                new StreamEvent.ToolArgsDelta(0, "{\"inp"), new StreamEvent.ToolArgsDelta(0, "ut\":\"*** Begin Patch\\n\"}"),
                new StreamEvent.PartStop(0),
                new StreamEvent.PartStart(1, PartKind.TOOL_CALL, "toolu_2", "ns__f"), new StreamEvent.ToolArgsDelta(1, ""),
                new StreamEvent.PartStop(1), new StreamEvent.MessageStop(StopReason.TOOL_USE, Usage.ZERO));
        List<JsonNode> events = ResponsesStreamChecks.check(sse);
        JsonNode output = events.getLast().path("response").path("output");
        assertEquals("custom_tool_call", output.path(0).path("type").asText());
        assertEquals("apply_patch", output.path(0).path("name").asText());
        assertEquals("*** Begin Patch\n", output.path(0).path("input").asText());
        assertEquals("toolu_1", output.path(0).path("call_id").asText());
        assertEquals("function_call", output.path(1).path("type").asText());
        assertEquals("f", output.path(1).path("name").asText());
        assertEquals("ns", output.path(1).path("namespace").asText());
        assertEquals("{}", output.path(1).path("arguments").asText());
        assertTrue(output.path(1).path("id").asText().startsWith("fc_"));
        assertTrue(types(events).contains("response.custom_tool_call_input.done"));
        assertEquals("completed", events.getLast().path("response").path("status").asText());
    }

    @Test
    void shouldCarryReasoningAndItsSignature() {
        String sse = encode(encoder(), new StreamEvent.MessageStart(null, null, Usage.ZERO),
                new StreamEvent.PartStart(0, PartKind.THINKING, null, null), new StreamEvent.ThinkingDelta(0, "hmm"),
                new StreamEvent.SignatureDelta(0, "SIG"), new StreamEvent.PartStop(0),
                new StreamEvent.PartStart(1, PartKind.THINKING, null, null), new StreamEvent.SignatureDelta(1, "ONLY"), new StreamEvent.PartStop(1),
                new StreamEvent.PartStart(2, PartKind.TEXT, null, null), new StreamEvent.TextDelta(2, "a"), new StreamEvent.PartStop(2),
                new StreamEvent.PartStart(3, PartKind.TEXT, null, null), new StreamEvent.TextDelta(3, "b"), new StreamEvent.PartStop(3),
                new StreamEvent.MessageStop(StopReason.END_TURN, Usage.ZERO));
        JsonNode output = ResponsesStreamChecks.check(sse).getLast().path("response").path("output");
        assertEquals(3, output.size(), "two reasoning items, one message for adjacent text parts");
        assertEquals(new io.canaryllm.canonical.Part.Thinking("hmm", "canaryllm:anthropic:SIG", null),
                ResponsesReasoning.decode(output.path(0).path("encrypted_content").asText()));
        assertEquals(0, output.path(1).path("summary").size());
        assertEquals("ab", output.path(2).path("content").path(0).path("text").asText());
    }

    @Test
    void shouldReportLengthAndFilterStopsAsIncomplete() {
        JsonNode length = ResponsesStreamChecks.check(encode(encoder(), new StreamEvent.MessageStart(null, null, Usage.ZERO),
                new StreamEvent.PartStart(0, PartKind.TEXT, null, null), new StreamEvent.TextDelta(0, "cut"),
                new StreamEvent.MessageStop(StopReason.MAX_TOKENS, Usage.ZERO))).getLast();
        assertEquals("response.incomplete", length.path("type").asText());
        assertEquals("max_output_tokens", length.path("response").path("incomplete_details").path("reason").asText());
        JsonNode filter = ResponsesStreamChecks.check(encode(encoder(),
                new StreamEvent.MessageStop(StopReason.CONTENT_FILTER, Usage.ZERO))).getLast();
        assertEquals("content_filter", filter.path("response").path("incomplete_details").path("reason").asText());
        assertEquals(0, filter.path("response").path("output").size());
    }

    @Test
    void shouldCloseOpenItemsThenSendErrorAndFailed() {
        ResponsesStreamEncoder enc = encoder();
        List<JsonNode> events = ResponsesStreamChecks.check(encode(enc, new StreamEvent.MessageStart(null, null, Usage.ZERO),
                new StreamEvent.PartStart(0, PartKind.TOOL_CALL, "c1", "ns__f"), new StreamEvent.ToolArgsDelta(0, "{\"a\""),
                new StreamEvent.StreamError(529, "overloaded_error", "Overloaded")));
        List<String> types = types(events);
        assertEquals(List.of("response.output_item.done", "error", "response.failed"), types.subList(types.size() - 3, types.size()));
        assertEquals("incomplete", events.get(events.size() - 3).path("item").path("status").asText());
        JsonNode error = events.get(events.size() - 2);
        assertEquals("server_error", error.path("code").asText());
        assertEquals("Overloaded", error.path("message").asText());
        assertTrue(error.has("param"));
        JsonNode failed = events.getLast().path("response");
        assertEquals("failed", failed.path("status").asText());
        assertEquals("server_error", failed.path("error").path("code").asText());
        assertTrue(enc.finished());
    }

    @Test
    void shouldStartEvenWhenTheFirstEventIsAnError() {
        List<JsonNode> events = ResponsesStreamChecks.check(encode(encoder(), new StreamEvent.StreamError(429, null, "slow down")));
        assertEquals(List.of("response.created", "response.in_progress", "error", "response.failed"), types(events));
        assertEquals("rate_limit_exceeded", events.get(2).path("code").asText());
    }

    @Test
    void shouldFailATruncatedUpstreamStreamInsteadOfCompletingIt() {
        StreamTranslator t = Translators.ofResponses(Protocol.OPENAI_CHAT, "m", null);
        String out = Streams.run(t, Streams.chatChunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null), true);
        List<JsonNode> events = ResponsesStreamChecks.check(out);
        assertEquals("response.failed", events.getLast().path("type").asText());
        assertEquals("Hi", events.getLast().path("response").path("output").path(0).path("content").path(0).path("text").asText());
    }

    @Test
    void shouldWorkThroughStreamTranslatorOfWithoutADecodedRequest() {
        StreamTranslator t = Translators.of(Protocol.OPENAI_CHAT, Protocol.OPENAI_RESPONSES, false, "m");
        String out = Streams.run(t, Streams.chatChunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null)
                + Streams.toolStart(0, "call_1", "f") + Streams.toolArgs(0, "{\"a\":1}") + Streams.chatChunk("{}", "tool_calls")
                + Streams.chatUsage(5, 2, 0) + "data: [DONE]\n\n", true);
        List<JsonNode> events = ResponsesStreamChecks.check(out);
        JsonNode response = events.getLast().path("response");
        assertEquals("response.completed", events.getLast().path("type").asText());
        assertEquals("{\"a\":1}", response.path("output").path(1).path("arguments").asText());
        assertEquals(7, response.path("usage").path("total_tokens").asInt());
        assertEquals(new Usage(5, 2, 0, 0, 0), t.usage());
        ResponsesStreamEncoder enc = (ResponsesStreamEncoder) t.encoder();
        assertNotNull(enc.finalResponse());
        assertFalse(new String(t.onUpstreamEnd(), StandardCharsets.UTF_8).contains("event"), "nothing after the end");
    }

    @Test
    void shouldEchoTheRequestOnCreated() {
        ResponsesStreamEncoder enc = new ResponsesStreamEncoder("client-m", ResponsesRequestsTest.decode(
                "{'input':'x','instructions':'I','store':false,'max_output_tokens':99,'temperature':0.2,'metadata':{'a':'b'}}"));
        JsonNode created = ResponsesStreamChecks.check(encode(enc, new StreamEvent.MessageStop(StopReason.END_TURN, null))).getFirst();
        JsonNode r = created.path("response");
        assertEquals("in_progress", r.path("status").asText());
        assertTrue(r.path("usage").isNull());
        assertEquals(0, r.path("output").size());
        assertEquals("client-m", r.path("model").asText());
        assertEquals("I", r.path("instructions").asText());
        assertFalse(r.path("store").asBoolean(true));
        assertEquals(99, r.path("max_output_tokens").asInt());
        assertEquals(0.2, r.path("temperature").asDouble());
        assertEquals("b", r.path("metadata").path("a").asText());
    }

    public static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
