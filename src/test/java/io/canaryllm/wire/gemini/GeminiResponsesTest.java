package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.UpstreamAnswerException;
import io.canaryllm.wire.mapping.UsageCodec;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiResponsesTest {

    private static JsonNode json(String s) throws Exception { return Json.MAPPER.readTree(s); }

    private static String answer(String parts, String finish) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "},\"finishReason\":\"" + finish
                + "\"}],\"responseId\":\"r1\",\"modelVersion\":\"gemini-2.5-flash\"}";
    }

    @ParameterizedTest
    @CsvSource({"STOP,END_TURN", "MAX_TOKENS,MAX_TOKENS", "SAFETY,CONTENT_FILTER", "RECITATION,CONTENT_FILTER",
            "PROHIBITED_CONTENT,CONTENT_FILTER", "BLOCKLIST,CONTENT_FILTER", "SPII,CONTENT_FILTER", "LANGUAGE,CONTENT_FILTER",
            "IMAGE_SAFETY,CONTENT_FILTER", "OTHER,END_TURN", "FINISH_REASON_UNSPECIFIED,END_TURN", "SOMETHING_NEW,END_TURN"})
    void shouldMapFinishReasons(String finish, StopReason expected) throws Exception {
        assertEquals(expected, GeminiResponses.toCanonical(json(answer("[{\"text\":\"x\"}]", finish))).stopReason());
    }

    @Test
    void shouldReportToolUseWhenStopCarriesFunctionCalls() throws Exception {
        // pitfall 6: finishReason is STOP for tool calls
        ChatResponse r = GeminiResponses.toCanonical(json(answer("""
            [{"functionCall":{"name":"add","args":{"a":2,"b":3}},"thoughtSignature":"S1"},{"functionCall":{"name":"mul","args":{"b":3,"a":2}}}]""", "STOP")));
        assertEquals(StopReason.TOOL_USE, r.stopReason());
        Part.ToolCall add = assertInstanceOf(Part.ToolCall.class, r.parts().get(0));
        Part.ToolCall mul = assertInstanceOf(Part.ToolCall.class, r.parts().get(1));
        assertEquals("{\"a\":2,\"b\":3}", add.argumentsJson());
        assertEquals("{\"b\":3,\"a\":2}", mul.argumentsJson(), "key order kept");
        assertEquals("S1", add.thoughtSignature());
        assertTrue(add.id().matches("call_[A-Za-z0-9]{24}"), add.id());
        assertNotEquals(add.id(), mul.id(), "pitfall 7: each call its own id");
        assertEquals("S1", GeminiCallMemory.recall(add.id()).thoughtSignature());
    }

    @Test
    void shouldFailAMalformedFunctionCallInsteadOfAnEmptySuccess() throws Exception {
        String body = "{\"candidates\":[{\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"finishMessage\":\"Malformed function call: print(\"}]}";
        UpstreamAnswerException e = assertThrows(UpstreamAnswerException.class, () -> GeminiResponses.toCanonical(json(body)));
        assertEquals(502, e.status());
        assertEquals("MALFORMED_FUNCTION_CALL", e.reason());
        assertTrue(e.getMessage().contains("print("));
    }

    @Test
    void shouldTreatABlockedPromptAsContentFilter() throws Exception {
        ChatResponse r = GeminiResponses.toCanonical(json("""
            {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}"""));
        assertEquals(StopReason.CONTENT_FILTER, r.stopReason());
        assertTrue(r.parts().isEmpty());
        assertEquals(7, r.usage().input());
    }

    @Test
    void shouldSurviveACandidateWithoutContent() throws Exception {
        ChatResponse r = GeminiResponses.toCanonical(json("{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0}]}"));
        assertEquals(StopReason.CONTENT_FILTER, r.stopReason());
        assertTrue(r.parts().isEmpty());
    }

    @Test
    void shouldKeepThoughtsWithTheirSignature() throws Exception {
        ChatResponse r = GeminiResponses.toCanonical(json(answer(
                "[{\"text\":\"hmm\",\"thought\":true,\"thoughtSignature\":\"T\"},{\"text\":\"\"},{\"text\":\"ok\"}]", "STOP")));
        assertEquals(2, r.parts().size(), "empty text dropped");
        assertEquals(new Part.Thinking("hmm", "T", null), r.parts().get(0));
        assertEquals(new Part.Text("ok"), r.parts().get(1));
        assertEquals("r1", r.id());
        assertEquals("gemini-2.5-flash", r.model());
    }

    @Test
    void shouldCountCachedAndThinkingTokensOnce() throws Exception {
        // 5.8: prompt includes cached; thoughts are separate from candidates; total = prompt + candidates + thoughts
        Usage u = UsageCodec.fromGemini(json("""
            {"promptTokenCount":121,"candidatesTokenCount":36,"thoughtsTokenCount":39,"totalTokenCount":196,"cachedContentTokenCount":100}"""));
        assertEquals(new Usage(121, 75, 100, 0, 39), u);
        assertEquals(196, u.total());
        // without a total: candidates + thoughts
        assertEquals(75, UsageCodec.fromGemini(json("{\"promptTokenCount\":1,\"candidatesTokenCount\":36,\"thoughtsTokenCount\":39}")).output());
        // built-in tool prompt counts as input
        Usage tools = UsageCodec.fromGemini(json("{\"promptTokenCount\":10,\"toolUsePromptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":17}"));
        assertEquals(15, tools.input());
        assertEquals(2, tools.output());
        // Anthropic clients see input without the cached part, once
        assertEquals(21, UsageCodec.anthropicInput(u));
    }
}
