package io.canaryllm.wire.mapping;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import io.canaryllm.translate.AnthropicStreamChecks;
import io.canaryllm.translate.Streams;
import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.anthropic.AnthropicResponses;
import io.canaryllm.wire.gemini.GeminiRequests;
import io.canaryllm.wire.gemini.GeminiResponses;
import io.canaryllm.wire.openai.chat.OpenAiChatResponses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;
import io.canaryllm.testing.AnthropicSse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gateway-private thinking signatures for Anthropic clients, and what becomes of them on the way back. */
class ForeignThinkingTest {
    private static final Protocol GEMINI = Protocol.GEMINI;

    // ---------------------------------------------------------------- encoding and decoding

    @Test
    void shouldSignForeignThinkingInTheGatewaysFormAndLeaveAnthropicsAlone() {
        assertEquals("canaryllm:gemini:CiQB0e2K", ForeignThinking.forAnthropicClient(GEMINI, "CiQB0e2K"));
        assertEquals("canaryllm:gemini:", ForeignThinking.forAnthropicClient(GEMINI, null), "an unsigned Gemini thought is marked too");
        assertEquals("canaryllm:openai:", ForeignThinking.forAnthropicClient(Protocol.OPENAI_CHAT, null));
        assertEquals("EsQDCkYI", ForeignThinking.forAnthropicClient(Protocol.ANTHROPIC, "EsQDCkYI"));
        assertTrue(ForeignThinking.isGatewayIssued("canaryllm:openai:"));
        assertFalse(ForeignThinking.isGatewayIssued("EsQDCkYICBgCKkBr9+FT/x=="), "base64 has no colon");
        assertFalse(ForeignThinking.isGatewayIssued(null));
    }

    @Test
    void shouldGiveGeminiItsOwnSignatureBack() {
        assertEquals("CiQB0e2K", ForeignThinking.geminiSignature(ForeignThinking.forAnthropicClient(GEMINI, "CiQB0e2K")));
        assertNull(ForeignThinking.geminiSignature("canaryllm:gemini:"), "unsigned: nothing to replay");
        assertNull(ForeignThinking.geminiSignature("canaryllm:openai:"));
        assertNull(ForeignThinking.geminiSignature(""));
        assertNull(ForeignThinking.geminiSignature(null));
        assertEquals("RawSig", ForeignThinking.geminiSignature("RawSig"), "unmarked signatures go as before");
    }

    // ---------------------------------------------------------------- answers: plain and streamed agree

    @Test
    void shouldSignAGeminiThoughtAlikeInThePlainAnswerAndTheStream() throws Exception {
        JsonNode plain = AnthropicResponses.fromCanonical(GeminiResponses.toCanonical(Json.MAPPER.readTree("""
                {"candidates":[{"content":{"role":"model","parts":[
                  {"text":"Thinking it over.","thought":true,"thoughtSignature":"CiQBsig"},{"text":"Done."}]},
                  "finishReason":"STOP","index":0}]}""")), "m", GEMINI);
        assertEquals("canaryllm:gemini:CiQBsig", plain.path("content").path(0).path("signature").asText());

        String sse = Streams.run(Translators.of(GEMINI, Protocol.ANTHROPIC, false, "m"),
                gemini("[{\"text\":\"Thinking \",\"thought\":true}]", null)
                + gemini("[{\"text\":\"it over.\",\"thought\":true,\"thoughtSignature\":\"CiQBsig\"}]", null)
                + gemini("[{\"text\":\"Done.\"}]", "STOP"), true);
        AnthropicStreamChecks.assertValidFinishedStream(sse);
        ArrayNode blocks = AnthropicSse.contentBlocks(sse);
        assertEquals("Thinking it over.", blocks.path(0).path("thinking").asText());
        assertEquals(plain.path("content").path(0).path("signature").asText(), blocks.path(0).path("signature").asText());
        assertEquals(1, count(sse, "signature_delta"), "one signature_delta, just before the block stops: " + sse);
        assertEquals("Done.", blocks.path(1).path("text").asText());
    }

    @Test
    void shouldMarkUnsignedForeignThinkingInBothForms() throws Exception {
        JsonNode plain = AnthropicResponses.fromCanonical(GeminiResponses.toCanonical(Json.MAPPER.readTree("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Hmm.","thought":true},{"text":"Yes."}]},
                  "finishReason":"STOP","index":0}]}""")), "m", GEMINI);
        assertEquals("canaryllm:gemini:", plain.path("content").path(0).path("signature").asText());
        String sse = Streams.run(Translators.of(GEMINI, Protocol.ANTHROPIC, false, "m"),
                gemini("[{\"text\":\"Hmm.\",\"thought\":true},{\"text\":\"Yes.\"}]", "STOP"), true);
        assertEquals("canaryllm:gemini:", AnthropicSse.contentBlocks(sse).path(0).path("signature").asText());

        // OpenAI-compatible upstreams issue no signatures, but their reasoning_content still becomes a thinking block
        String chat = Streams.run(Translators.of(Protocol.OPENAI_CHAT, Protocol.ANTHROPIC, false, "m"),
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Let me see.\"}}]}\n\n"
                + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Ok.\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n", true);
        AnthropicStreamChecks.assertValidFinishedStream(chat);
        assertEquals("canaryllm:openai:", AnthropicSse.contentBlocks(chat).path(0).path("signature").asText());
        JsonNode chatPlain = AnthropicResponses.fromCanonical(OpenAiChatResponses.toCanonical(Json.MAPPER.readTree("""
                {"id":"c","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Let me see.","content":"Ok."},
                  "finish_reason":"stop"}]}""")), "m", Protocol.OPENAI_CHAT);
        assertEquals("canaryllm:openai:", chatPlain.path("content").path(0).path("signature").asText());
    }

    @Test
    void shouldKeepTwoSignedGeminiThoughtsApartInTheStream() {
        String sse = Streams.run(Translators.of(GEMINI, Protocol.ANTHROPIC, false, "m"),
                gemini("[{\"text\":\"One.\",\"thought\":true,\"thoughtSignature\":\"S1\"},"
                        + "{\"text\":\"Two.\",\"thought\":true,\"thoughtSignature\":\"S2\"}]", "STOP"), true);
        AnthropicStreamChecks.assertValidFinishedStream(sse);
        ArrayNode blocks = AnthropicSse.contentBlocks(sse);
        assertEquals("canaryllm:gemini:S1", blocks.path(0).path("signature").asText());
        assertEquals("canaryllm:gemini:S2", blocks.path(1).path("signature").asText());
    }

    @Test
    void shouldPassAnthropicSignaturesThroughTheEncoderUnchanged() {
        String sse = Streams.run(Translators.of(Protocol.ANTHROPIC, Protocol.ANTHROPIC, false, "m"), """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"c","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hm."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EsQDCkYI"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}

                event: message_stop
                data: {"type":"message_stop"}

                """, true);
        assertEquals("EsQDCkYI", AnthropicSse.contentBlocks(sse).path(0).path("signature").asText());
    }

    // ---------------------------------------------------------------- requests translated for Gemini / Anthropic

    @Test
    void shouldReplayTheOriginalSignatureToGeminiAndDropMarkedThinkingForAnthropic() throws Exception {
        JsonNode client = Json.MAPPER.readTree("""
                {"model":"x","max_tokens":100,"messages":[
                  {"role":"user","content":"hi"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"Gemini's.","signature":"canaryllm:gemini:CiQBsig"},
                    {"type":"thinking","thinking":"Unsigned Gemini.","signature":"canaryllm:gemini:"},
                    {"type":"thinking","thinking":"DeepSeek's.","signature":"canaryllm:openai:"},
                    {"type":"text","text":"Hello."}]},
                  {"role":"user","content":"again"}]}""");
        var canonical = AnthropicRequests.toCanonical(client);
        JsonNode model = GeminiRequests.fromCanonical(canonical, new ModelLimits(8192, true)).path("contents").path(1);
        assertEquals(2, model.path("parts").size(), model.toString());
        assertEquals("CiQBsig", model.path("parts").path(0).path("thoughtSignature").asText());
        assertEquals("Gemini's.", model.path("parts").path(0).path("text").asText());
        assertTrue(model.path("parts").path(0).path("thought").asBoolean());

        JsonNode anthropic = AnthropicRequests.fromCanonical(canonical, "claude", new ModelLimits(8192, true));
        JsonNode assistant = anthropic.path("messages").path(1).path("content");
        assertEquals(1, assistant.size(), assistant.toString());
        assertEquals("text", assistant.path(0).path("type").asText());
    }

    // ---------------------------------------------------------------- the same-protocol passthrough filter

    @Test
    void shouldReturnTheVerySameBytesWithoutTheMarker() {
        byte[] body = """
                {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"hi"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"EsQDCkYI"},{"type":"text","text":"yo"}]}]}"""
                .getBytes(StandardCharsets.UTF_8);
        assertSame(body, ForeignThinking.withoutGatewayThinking(body));
        byte[] empty = new byte[0];
        assertSame(empty, ForeignThinking.withoutGatewayThinking(empty));
    }

    @Test
    void shouldReturnTheVerySameBytesWhenTheMarkerIsNoGatewaySignature() {
        // the marker in a text (someone talking about the gateway), not in a thinking block's signature
        byte[] body = """
                {"model":"m","max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":"canaryllm:gemini: is it"},
                 {"type":"text","text":"canaryllm:x"}]}]}""".getBytes(StandardCharsets.UTF_8);
        assertSame(body, ForeignThinking.withoutGatewayThinking(body));
        byte[] notJson = "{\"model\":\"m\",\"x\":\"canaryllm:gemini:".getBytes(StandardCharsets.UTF_8);
        assertSame(notJson, ForeignThinking.withoutGatewayThinking(notJson));
    }

    @Test
    void shouldRemoveOnlyTheGatewaysThinkingBlocks() throws Exception {
        String body = """
                {"model":"claude-sonnet-4-5","max_tokens":1000,"temperature":0.70,"metadata":{"user_id":"u"},
                 "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                  {"role":"user","content":"hi"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"Gemini's.","signature":"canaryllm:gemini:CiQBsig"},
                    {"type":"text","text":"Hello."}]},
                  {"role":"user","content":[{"type":"text","text":"and?"}]},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"Claude's.","signature":"EsQDCkYI"},
                    {"type":"redacted_thinking","data":"opaque"},
                    {"type":"text","text":"More."}]},
                  {"role":"user","content":"thanks"}],
                 "x_unknown":{"n":12345678901234567890,"f":0.1000000000000000055511151231257827}}""";
        byte[] out = ForeignThinking.withoutGatewayThinking(body.getBytes(StandardCharsets.UTF_8));
        ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(body);
        ((ArrayNode) expected.path("messages").path(1).path("content")).remove(0);
        String text = new String(out, StandardCharsets.UTF_8);
        assertFalse(text.contains("canaryllm:"), text);
        assertEquals(expected, Json.MAPPER.readTree(out), "everything else as it was");
        assertTrue(text.contains("0.1000000000000000055511151231257827") && text.contains("12345678901234567890")
                && text.contains("0.70"), "numbers keep their digits: " + text);
    }

    @Test
    void shouldRemoveAnAssistantTurnLeftEmpty() throws Exception {
        byte[] out = ForeignThinking.withoutGatewayThinking("""
                {"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"only this","signature":"canaryllm:gemini:S"}]},
                 {"role":"user","content":"well?"}]}""".getBytes(StandardCharsets.UTF_8));
        JsonNode messages = Json.MAPPER.readTree(out).path("messages");
        assertEquals(2, messages.size(), messages.toString());
        assertEquals("well?", messages.path(1).path("content").asText());
    }

    @Test
    void shouldTurnThinkingOffForAToolLoopWhoseTurnCannotStartWithThinking() throws Exception {
        String loop = """
                {"model":"m","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[
                 {"role":"user","content":"list files"},
                 {"role":"assistant","content":[{"type":"thinking","thinking":"ls it","signature":"canaryllm:gemini:S"},
                   {"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt"},
                   {"type":"text","text":"<system-reminder>x</system-reminder>"}]}]}""";
        JsonNode out = Json.MAPPER.readTree(ForeignThinking.withoutGatewayThinking(loop.getBytes(StandardCharsets.UTF_8)));
        assertTrue(out.path("thinking").isMissingNode(), "no signature can be made up: this request goes without thinking");
        assertEquals("tool_use", out.path("messages").path(1).path("content").path(0).path("type").asText());

        // a finished turn (the user spoke again) needs no thinking block: thinking stays on
        String nextTurn = loop.replace("{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"a.txt\"},", "")
                .replace("]}]}", "]},{\"role\":\"assistant\",\"content\":\"Done.\"},{\"role\":\"user\",\"content\":\"next\"}]}");
        JsonNode kept = Json.MAPPER.readTree(ForeignThinking.withoutGatewayThinking(nextTurn.getBytes(StandardCharsets.UTF_8)));
        assertEquals("enabled", kept.path("thinking").path("type").asText(), kept.toString());
    }

    // ---------------------------------------------------------------- helpers

    private static String gemini(String parts, String finish) {
        return "data: {\"candidates\":[{\"content\":{\"parts\":" + parts + ",\"role\":\"model\"},"
                + (finish == null ? "" : "\"finishReason\":\"" + finish + "\",") + "\"index\":0}],\"responseId\":\"R\"}\r\n\r\n";
    }

    private static int count(String s, String what) { return s.split(what, -1).length - 1; }
}
