package io.canaryllm.wire.gemini;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import io.canaryllm.translate.AnthropicStreamChecks;
import io.canaryllm.translate.StreamTranslator;
import io.canaryllm.translate.Streams;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.SseParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiStreamDecoderTest {

    private static String chunk(String parts, String finish, String usage) {
        return "data: {\"candidates\":[{\"content\":{\"parts\":" + parts + ",\"role\":\"model\"},"
                + (finish == null ? "" : "\"finishReason\":\"" + finish + "\",") + "\"index\":0}]"
                + (usage == null ? "" : ",\"usageMetadata\":" + usage)
                + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"R1\"}\r\n\r\n";
    }

    /** Upstream SSE text through a real parser into the decoder, end of stream included. */
    private static List<StreamEvent> decode(String sse) {
        SseParser parser = new SseParser();
        GeminiStreamDecoder decoder = new GeminiStreamDecoder();
        List<StreamEvent> out = new ArrayList<>();
        for (SseEvent e : parser.feed(sse.getBytes(StandardCharsets.UTF_8))) out.addAll(decoder.onEvent(e));
        for (SseEvent e : parser.finish()) out.addAll(decoder.onEvent(e));
        out.addAll(decoder.onEnd());
        return out;
    }

    @Test
    void shouldSplitEventsOnCrLfCrLf() {
        // pitfall 41: Gemini separates events with \r\n\r\n
        List<SseEvent> events = Streams.events("data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n");
        assertEquals(2, events.size());
        assertEquals("{\"a\":2}", events.get(1).data());
        // and when the network cuts between \r and \n
        SseParser p = new SseParser();
        List<SseEvent> cut = new ArrayList<>(p.feed("data: {\"a\":1}\r".getBytes(StandardCharsets.UTF_8)));
        cut.addAll(p.feed("\n\r".getBytes(StandardCharsets.UTF_8)));
        cut.addAll(p.feed("\ndata: {\"a\":2}\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(new SseEvent(null, "{\"a\":1}"), new SseEvent(null, "{\"a\":2}")), cut);
    }

    @Test
    void shouldStreamTextAsOnePart() {
        List<StreamEvent> ev = decode(chunk("[{\"text\":\"The sum of\"}]", null, "{\"promptTokenCount\":181,\"candidatesTokenCount\":3,\"totalTokenCount\":184}")
                + chunk("[{\"text\":\" 2 and 3 is 5.\"}]", "STOP", "{\"promptTokenCount\":181,\"candidatesTokenCount\":10,\"totalTokenCount\":191}"));
        assertEquals(new StreamEvent.MessageStart("R1", "gemini-2.5-flash", new Usage(181, 3, 0, 0, 0)), ev.get(0));
        assertEquals(new StreamEvent.PartStart(0, PartKind.TEXT, null, null), ev.get(1));
        assertEquals(new StreamEvent.TextDelta(0, "The sum of"), ev.get(2));
        assertEquals(new StreamEvent.UsageUpdate(new Usage(181, 10, 0, 0, 0)), ev.get(3));
        assertEquals(new StreamEvent.TextDelta(0, " 2 and 3 is 5."), ev.get(4));
        assertEquals(new StreamEvent.PartStop(0), ev.get(5));
        assertEquals(new StreamEvent.MessageStop(StopReason.END_TURN, new Usage(181, 10, 0, 0, 0)), ev.get(6));
        assertEquals(7, ev.size());
    }

    @Test
    void shouldGiveParallelCallsTheirOwnIndexAndIdWithWholeArguments() {
        List<StreamEvent> ev = decode(chunk("""
            [{"functionCall":{"name":"add","args":{"a":2,"b":3}},"thoughtSignature":"SIG"},{"functionCall":{"name":"multiply","args":{"b":3,"a":2}}}]""",
                "STOP", "{\"promptTokenCount\":121,\"candidatesTokenCount\":36,\"totalTokenCount\":196,\"thoughtsTokenCount\":39}"));
        StreamEvent.PartStart first = assertInstanceOf(StreamEvent.PartStart.class, ev.get(1));
        assertEquals(new StreamEvent.ToolArgsDelta(0, "{\"a\":2,\"b\":3}"), ev.get(2));
        assertEquals(new StreamEvent.PartStop(0), ev.get(3));
        StreamEvent.PartStart second = assertInstanceOf(StreamEvent.PartStart.class, ev.get(4));
        assertEquals(new StreamEvent.ToolArgsDelta(1, "{\"b\":3,\"a\":2}"), ev.get(5));
        assertEquals(new StreamEvent.PartStop(1), ev.get(6));
        assertEquals(0, first.index());
        assertEquals(1, second.index());
        assertEquals(PartKind.TOOL_CALL, second.kind());
        assertEquals("multiply", second.name());
        assertNotEquals(first.id(), second.id());
        // pitfall 6: STOP with calls is a tool-use stop
        assertEquals(new StreamEvent.MessageStop(StopReason.TOOL_USE, new Usage(121, 75, 0, 0, 39)), ev.get(7));
        assertEquals("SIG", GeminiCallMemory.recall(first.id()).thoughtSignature(), "kept for the next request");
    }

    @Test
    void shouldTurnThoughtsIntoAThinkingPartWithItsSignature() {
        List<StreamEvent> ev = decode(chunk("[{\"text\":\"**Analyzing**\",\"thought\":true}]", null, null)
                + chunk("[{\"text\":\" more\",\"thought\":true,\"thoughtSignature\":\"TS\"},{\"text\":\"Answer\"}]", "STOP", null));
        assertEquals(new StreamEvent.PartStart(0, PartKind.THINKING, null, null), ev.get(1));
        assertEquals(new StreamEvent.ThinkingDelta(0, "**Analyzing**"), ev.get(2));
        assertEquals(new StreamEvent.ThinkingDelta(0, " more"), ev.get(3));
        assertEquals(new StreamEvent.SignatureDelta(0, "TS"), ev.get(4));
        assertEquals(new StreamEvent.PartStop(0), ev.get(5));
        assertEquals(new StreamEvent.PartStart(1, PartKind.TEXT, null, null), ev.get(6));
        assertEquals(new StreamEvent.TextDelta(1, "Answer"), ev.get(7));
    }

    @Test
    void shouldKeepTheLastUsageInsteadOfSummingChunks() {
        // pitfall 40: usageMetadata is cumulative
        String u1 = "{\"promptTokenCount\":100,\"candidatesTokenCount\":5,\"totalTokenCount\":105,\"cachedContentTokenCount\":60}";
        String u2 = "{\"promptTokenCount\":100,\"candidatesTokenCount\":9,\"totalTokenCount\":139,\"thoughtsTokenCount\":30,\"cachedContentTokenCount\":60}";
        List<StreamEvent> ev = decode(chunk("[{\"text\":\"a\"}]", null, u1) + chunk("[{\"text\":\"b\"}]", null, u2) + chunk("[{\"text\":\"\"}]", "STOP", u2));
        StreamEvent.MessageStop stop = assertInstanceOf(StreamEvent.MessageStop.class, ev.getLast());
        assertEquals(new Usage(100, 39, 60, 0, 30), stop.usage());
        StreamTranslator t = Translators.of(Protocol.GEMINI, Protocol.OPENAI_CHAT, true, "m");
        String out = Streams.run(t, chunk("[{\"text\":\"a\"}]", null, u1) + chunk("[{\"text\":\"b\"}]", null, u2) + chunk("[]", "STOP", u2), true);
        JsonNode usage = Streams.json(out).getLast().path("usage");
        assertEquals(100, usage.path("prompt_tokens").asInt());
        assertEquals(39, usage.path("completion_tokens").asInt());
        assertEquals(60, usage.path("prompt_tokens_details").path("cached_tokens").asInt());
        assertEquals(30, usage.path("completion_tokens_details").path("reasoning_tokens").asInt());
        assertEquals(new Usage(100, 39, 60, 0, 30), t.usage());
    }

    @Test
    void shouldFailAStreamThatEndsWithoutFinishReason() {
        List<StreamEvent> ev = decode(chunk("[{\"text\":\"cut\"}]", null, null));
        StreamEvent.StreamError err = assertInstanceOf(StreamEvent.StreamError.class, ev.getLast());
        assertEquals(502, err.status());
    }

    @Test
    void shouldFailAMalformedFunctionCallInTheStream() {
        List<StreamEvent> ev = decode("data: {\"candidates\":[{\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}],\"responseId\":\"R\"}\r\n\r\n");
        StreamEvent.StreamError err = assertInstanceOf(StreamEvent.StreamError.class, ev.getLast());
        assertEquals(502, err.status());
        assertEquals("MALFORMED_FUNCTION_CALL", err.kind());
        assertTrue(ev.stream().noneMatch(e -> e instanceof StreamEvent.MessageStop), "never an empty success");
        // the client sees an error, not a normal finish
        StreamTranslator t = Translators.of(Protocol.GEMINI, Protocol.ANTHROPIC, false, "m");
        String out = Streams.run(t, "data: {\"candidates\":[{\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}]}\r\n\r\n", true);
        assertTrue(out.contains("event: error"), out);
        assertTrue(!out.contains("message_stop"), out);
    }

    @Test
    void shouldTurnAnErrorObjectIntoAStreamError() {
        List<StreamEvent> ev = decode(chunk("[{\"text\":\"partial\"}]", null, null)
                + "data: {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}\r\n\r\n");
        assertEquals(new StreamEvent.PartStop(0), ev.get(ev.size() - 2));
        assertEquals(new StreamEvent.StreamError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted"), ev.getLast());
    }

    @Test
    void shouldEndABlockedPromptAsContentFilter() {
        List<StreamEvent> ev = decode("data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}\r\n\r\n");
        assertEquals(StopReason.CONTENT_FILTER, assertInstanceOf(StreamEvent.MessageStop.class, ev.getLast()).reason());
    }

    @Test
    void shouldStreamParallelCallsToAnAnthropicClientAsSeparateBlocks() {
        StreamTranslator t = Translators.of(Protocol.GEMINI, Protocol.ANTHROPIC, false, "m");
        String out = Streams.run(t, chunk("""
            [{"text":"Both."},{"functionCall":{"name":"add","args":{"a":2}}},{"functionCall":{"name":"mul","args":{"a":3}}}]""", "STOP", null), true);
        AnthropicStreamChecks.assertValidFinishedStream(out);
        assertTrue(out.contains("\"stop_reason\":\"tool_use\""), out);
        assertEquals(2, out.split("\"type\":\"tool_use\"", -1).length - 1);
    }
}
