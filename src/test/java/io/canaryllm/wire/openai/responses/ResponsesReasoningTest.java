package io.canaryllm.wire.openai.responses;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.gemini.GeminiContents;
import io.canaryllm.wire.gemini.GeminiRequests;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.ModelLimits;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Part;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code encrypted_content} of a Responses reasoning item records the vendor that signed the thought, so a
 * conversation that moves between vendors replays each signature only to its own vendor (5.9); items made before the
 * vendor was recorded keep working as they did.
 */
class ResponsesReasoningTest {
    private static final Protocol ANTHROPIC = Protocol.ANTHROPIC;
    private static final Protocol GEMINI = Protocol.GEMINI;
    /** An item as the gateway made it before the vendor was recorded: {"t":"The user wants hi.","s":"CiQB0e2Kb6DT1heR"}. */
    private static final String UNTAGGED = "canaryllm.r1.eyJ0IjoiVGhlIHVzZXIgd2FudHMgaGkuIiwicyI6IkNpUUIwZTJLYjZEVDFoZVIifQ";
    private static final ModelLimits LIMITS = new ModelLimits(64000, true);

    private static JsonNode payload(String encrypted) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(encrypted.substring(ResponsesReasoning.PREFIX.length())));
    }

    private static String encoded(String json) {
        return ResponsesReasoning.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- the encoding

    @Test
    void shouldRecordTheVendorThatSignedTheThought() throws Exception {
        String gemini = ResponsesReasoning.encode(new Part.Thinking("Weighing it.", "CiQBsig", null), GEMINI);
        assertTrue(gemini.startsWith("canaryllm.r1."), gemini);
        assertEquals(Json.MAPPER.readTree("{\"t\":\"Weighing it.\",\"s\":\"CiQBsig\",\"v\":\"gemini\"}"), payload(gemini));
        assertEquals(new Part.Thinking("Weighing it.", "canaryllm:gemini:CiQBsig", null), ResponsesReasoning.decode(gemini),
                "decoded, the canonical signature is ForeignThinking's marked form");

        String anthropic = ResponsesReasoning.encode(new Part.Thinking("Hmm.", "EsQDCkYI+/x==", null), ANTHROPIC);
        assertEquals("anthropic", payload(anthropic).path("v").asText());
        assertEquals(new Part.Thinking("Hmm.", "canaryllm:anthropic:EsQDCkYI+/x==", null), ResponsesReasoning.decode(anthropic));

        assertNull(ResponsesReasoning.encode(new Part.Thinking("reasoning_content", null, null), Protocol.OPENAI_CHAT),
                "nothing signed, nothing to replay");
        assertNull(ResponsesReasoning.encode(new Part.Thinking("x", "", null), GEMINI));
        String redacted = ResponsesReasoning.encode(new Part.RedactedThinking("opaque", null), ANTHROPIC);
        assertEquals(new Part.RedactedThinking("opaque", null), ResponsesReasoning.decode(redacted));
    }

    @Test
    void shouldDecodeItemsMadeBeforeTheVendorWasRecordedAsBefore() {
        assertEquals(new Part.Thinking("The user wants hi.", "CiQB0e2Kb6DT1heR", null), ResponsesReasoning.decode(UNTAGGED),
                "no vendor: the bare signature, of unknown vendor");
        assertEquals(new Part.Thinking("", "SIG", null), ResponsesReasoning.decode(encoded("{\"s\":\"SIG\"}")));
        assertNull(ResponsesReasoning.decode(encoded("{\"t\":\"no signature\"}")));
        assertNull(ResponsesReasoning.decode("gAAAAABopenai"));
        assertNull(ResponsesReasoning.decode(ResponsesReasoning.PREFIX + "!!!"));
        assertNull(ResponsesReasoning.decode(null));
    }

    @Test
    void shouldSendAThoughtOfAnUnknownVendorNowhere() {
        Part.Thinking t = (Part.Thinking) ResponsesReasoning.decode(encoded("{\"t\":\"x\",\"s\":\"SIG\",\"v\":\"mistral\"}"));
        assertEquals("canaryllm:mistral:SIG", t.signature());
        assertNull(ForeignThinking.anthropicSignature(t.signature()));
        assertNull(ForeignThinking.geminiSignature(t.signature()));
    }

    @Test
    void shouldReadEachMarkedSignatureOnlyForItsOwnWire() {
        assertEquals("EsQD", ForeignThinking.anthropicSignature("canaryllm:anthropic:EsQD"));
        assertNull(ForeignThinking.geminiSignature("canaryllm:anthropic:EsQD"));
        assertEquals("CiQB", ForeignThinking.geminiSignature("canaryllm:gemini:CiQB"));
        assertNull(ForeignThinking.anthropicSignature("canaryllm:gemini:CiQB"));
        assertNull(ForeignThinking.anthropicSignature("canaryllm:openai:"));
        assertNull(ForeignThinking.anthropicSignature("canaryllm:anthropic:"));
        assertNull(ForeignThinking.anthropicSignature(null));
        assertNull(ForeignThinking.anthropicSignature(""));
        assertEquals("RawSig", ForeignThinking.anthropicSignature("RawSig"), "unknown vendor: as before");
        assertEquals("RawSig", ForeignThinking.geminiSignature("RawSig"), "unknown vendor: as before");
    }

    // ---------------------------------------------------------------- a Responses history translated for each wire

    private static String item(Part.Thinking t, Protocol vendor) {
        return "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"" + t.text()
                + "\"}],\"encrypted_content\":\"" + ResponsesReasoning.encode(t, vendor) + "\"}";
    }

    private static ChatRequest history(String reasoningItem, boolean toolLoop) {
        String tail = toolLoop
                ? ",{\"type\":\"function_call\",\"call_id\":\"call_rsn_test_1\",\"name\":\"shell\",\"arguments\":\"{\\\"cmd\\\":\\\"ls\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_rsn_test_1\",\"output\":\"a.txt\"}]"
                : ",{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Paris.\"}]},"
                + "{\"role\":\"user\",\"content\":\"Sure?\"}]";
        String body = "{\"model\":\"m\",\"reasoning\":{\"effort\":\"high\"},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"shell\",\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}}}],"
                + "\"input\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}," + reasoningItem + tail + "}";
        return ResponsesRequestsTest.decode(body.replace('\'', '"')).request();
    }

    @Test
    void shouldSendAGeminiThoughtToGeminiOnlyAndAClaudeThoughtToAnthropicOnly() {
        ChatRequest gemini = history(item(new Part.Thinking("Weighing it.", "CiQBsig", null), GEMINI), false);
        JsonNode toClaude = AnthropicRequests.fromCanonical(gemini, "claude", LIMITS);
        assertFalse(toClaude.toString().contains("CiQBsig"), toClaude.toString());
        assertEquals("text", toClaude.path("messages").path(1).path("content").path(0).path("type").asText());
        JsonNode toGemini = GeminiRequests.fromCanonical(gemini, LIMITS).path("contents").path(1).path("parts").path(0);
        assertEquals("CiQBsig", toGemini.path("thoughtSignature").asText(), toGemini.toString());
        assertTrue(toGemini.path("thought").asBoolean());

        ChatRequest claude = history(item(new Part.Thinking("Hmm.", "EsQDCkYI", null), ANTHROPIC), false);
        JsonNode claudeToClaude = AnthropicRequests.fromCanonical(claude, "claude", LIMITS).path("messages").path(1).path("content").path(0);
        assertEquals("thinking", claudeToClaude.path("type").asText());
        assertEquals("EsQDCkYI", claudeToClaude.path("signature").asText(), "Anthropic's own signature goes bare");
        JsonNode claudeToGemini = GeminiRequests.fromCanonical(claude, LIMITS);
        assertFalse(claudeToGemini.toString().contains("EsQDCkYI"), claudeToGemini.toString());
        assertFalse(claudeToGemini.toString().contains("canaryllm:"), claudeToGemini.toString());
    }

    @Test
    void shouldReplayAnUntaggedItemToBothWiresAsBefore() {
        ChatRequest old = history("{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"" + UNTAGGED + "\"}", false);
        JsonNode toClaude = AnthropicRequests.fromCanonical(old, "claude", LIMITS).path("messages").path(1).path("content").path(0);
        assertEquals("CiQB0e2Kb6DT1heR", toClaude.path("signature").asText(), toClaude.toString());
        JsonNode toGemini = GeminiRequests.fromCanonical(old, LIMITS).path("contents").path(1).path("parts").path(0);
        assertEquals("CiQB0e2Kb6DT1heR", toGemini.path("thoughtSignature").asText(), toGemini.toString());
    }

    @Test
    void shouldTurnThinkingOffForClaudeWhenAGeminiThoughtLeavesTheToolLoopTurnWithoutThinking() {
        ChatRequest gemini = history(item(new Part.Thinking("Listing.", "CiQBsig", null), GEMINI), true);
        JsonNode toClaude = AnthropicRequests.fromCanonical(gemini, "claude", LIMITS);
        assertFalse(toClaude.has("thinking"), toClaude.toString());
        assertEquals("tool_use", toClaude.path("messages").path(1).path("content").path(0).path("type").asText());
        assertFalse(toClaude.toString().contains("CiQBsig"));

        ChatRequest claude = history(item(new Part.Thinking("Listing.", "EsQDCkYI", null), ANTHROPIC), true);
        JsonNode claudeToClaude = AnthropicRequests.fromCanonical(claude, "claude", LIMITS);
        assertEquals("enabled", claudeToClaude.path("thinking").path("type").asText(), claudeToClaude.toString());
        assertEquals("EsQDCkYI", claudeToClaude.path("messages").path(1).path("content").path(0).path("signature").asText());

        // to Gemini, the Claude thought goes and the call gets Google's skip value (no memory of a signature for it)
        JsonNode claudeToGemini = GeminiRequests.fromCanonical(claude, LIMITS).path("contents").path(1).path("parts");
        assertEquals(1, claudeToGemini.size(), claudeToGemini.toString());
        assertEquals(GeminiContents.SKIP_SIGNATURE, claudeToGemini.path(0).path("thoughtSignature").asText());
    }
}
