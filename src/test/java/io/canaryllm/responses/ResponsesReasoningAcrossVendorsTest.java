package io.canaryllm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.canaryllm.testing.FakeUpstream.anthropicMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Responses client (Codex, Cursor) keeps the reasoning items it got, {@code encrypted_content} included, and
 * replays them — also after switching the conversation to another vendor's model (protocols.md 5.9: signatures are
 * vendor-bound). A Gemini thought never reaches Anthropic, a Claude thought never reaches Gemini, and each vendor gets
 * its own signature back; the same holds for a conversation continued from the store with {@code previous_response_id}.
 */
class ResponsesReasoningAcrossVendorsTest {
    private static final String GEMINI_SIG = "CiQB0e2Kb02QlBJ2";
    private static final String CLAUDE_SIG = "EsQDCkYICBgCKkBr9+FT/x==";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOLS = "[{\"type\":\"function\",\"name\":\"shell\",\"strict\":false,"
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}}}]";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static FakeUpstream.Script geminiThought() {
        return a -> a.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"Weighing it.","thought":true,"thoughtSignature":"%s"},
                  {"text":"Paris."}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":4,"thoughtsTokenCount":6,"totalTokenCount":18},
                 "modelVersion":"gemini-2.5-flash","responseId":"r1"}""".formatted(GEMINI_SIG));
    }

    private static FakeUpstream.Script streamedGeminiThoughtAndCall() {
        return a -> {
            a.startSse();
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Listing \",\"thought\":true}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"files.\",\"thought\":true,\"thoughtSignature\":\"" + GEMINI_SIG
                    + "\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"shell\",\"args\":{\"cmd\":\"ls\"}}}],\"role\":\"model\"},"
                    + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":4,\"totalTokenCount\":12}}\r\n\r\n");
        };
    }

    private static FakeUpstream.Script claudeThought() {
        return a -> a.json(200, """
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"Recalling it.","signature":"%s"},{"type":"text","text":"Paris."}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}""".formatted(CLAUDE_SIG));
    }

    private JsonNode respond(String body) throws Exception {
        var r = gw.post("/v1/responses", body, "Authorization", "Bearer " + gw.apiKey);
        assertEquals(200, r.statusCode(), r.body());
        if (r.body().startsWith("{")) return TestGateway.json(r.body());
        // a stream: the response of its terminal event
        JsonNode last = null;
        for (String line : r.body().split("\n")) if (line.startsWith("data: ")) last = TestGateway.json(line.substring(6));
        assertEquals("response.completed", last.path("type").asText(), r.body());
        return last.path("response");
    }

    /** The next turn as Codex sends it: the first input, the items it got, then {@code next}. */
    private static String replay(String model, JsonNode output, String next, String extra) {
        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("role", "user").put("content", "Capital of France?");
        output.forEach(input::add);
        input.add(TestGateway.jsonUnchecked(next));
        return "{\"model\":\"" + model + "\",\"store\":false,\"include\":[\"reasoning.encrypted_content\"]," + extra
                + "\"input\":" + input + "}";
    }

    private static JsonNode reasoningItem(JsonNode output) {
        for (JsonNode item : output) if ("reasoning".equals(item.path("type").asText())) return item;
        throw new AssertionError("no reasoning item: " + output);
    }

    @Test
    void aGeminiThoughtIsDroppedForClaudeAndGoesBackToGeminiWithItsSignature() throws Exception {
        gw.fake.enqueue("gemini", geminiThought());
        JsonNode output = respond("{\"model\":\"gemini/gemini-2.5-flash\",\"store\":false,\"include\":[\"reasoning.encrypted_content\"],"
                + "\"input\":\"Capital of France?\"}").path("output");
        JsonNode reasoning = reasoningItem(output);
        assertTrue(reasoning.path("encrypted_content").asText().startsWith("canaryllm.r1."), reasoning.toString());
        assertFalse(reasoning.toString().contains(GEMINI_SIG), "the signature is inside the gateway's encoding");
        String sure = "{\"role\":\"user\",\"content\":\"Sure?\"}";

        // to Claude: the Gemini thought goes, the rest of the conversation arrives
        gw.fake.enqueue("anthropic", anthropicMessage("Yes, Paris."));
        respond(replay("anthropic/claude-sonnet-4-5", output, sure, "\"reasoning\":{\"effort\":\"medium\"},"));
        FakeUpstream.Received claude = gw.fake.received("anthropic").get(0);
        assertFalse(claude.body().contains(GEMINI_SIG), claude.body());
        assertFalse(claude.body().contains("canaryllm:"), claude.body());
        assertFalse(claude.body().contains("\"type\":\"thinking\""), claude.body());
        JsonNode messages = claude.json().path("messages");
        assertEquals(3, messages.size(), messages.toString());
        assertEquals("Paris.", messages.path(1).path("content").path(0).path("text").asText());
        assertEquals("enabled", claude.json().path("thinking").path("type").asText(), "no tool loop: thinking stays on");

        // back to Gemini: the thought with its original signature
        gw.fake.enqueue("gemini", geminiThought());
        respond(replay("gemini/gemini-2.5-flash", output, sure, ""));
        JsonNode model = gw.fake.received("gemini").get(1).json().path("contents").path(1);
        assertEquals("model", model.path("role").asText());
        assertEquals(GEMINI_SIG, model.path("parts").path(0).path("thoughtSignature").asText(), model.toString());
        assertTrue(model.path("parts").path(0).path("thought").asBoolean());
        assertEquals("Weighing it.", model.path("parts").path(0).path("text").asText());
    }

    @Test
    void aStreamedGeminiThoughtInAToolLoopGoesToClaudeWithoutThinkingAndToGeminiSigned() throws Exception {
        gw.fake.enqueue("gemini", streamedGeminiThoughtAndCall());
        JsonNode output = respond("{\"model\":\"gemini/gemini-2.5-flash\",\"stream\":true,\"store\":false,\"tools\":" + TOOLS
                + ",\"input\":\"Capital of France?\"}").path("output");
        assertTrue(reasoningItem(output).path("encrypted_content").asText().startsWith("canaryllm.r1."), output.toString());
        String callId = null;
        for (JsonNode item : output) if ("function_call".equals(item.path("type").asText())) callId = item.path("call_id").asText();
        assertTrue(callId != null, output.toString());
        String result = "{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"a.txt\"}";

        // Claude with reasoning on, mid tool loop: its turn cannot start with a valid thinking block, so no thinking
        gw.fake.enqueue("anthropic", anthropicMessage("a.txt it is."));
        respond(replay("anthropic/claude-sonnet-4-5", output, result, "\"reasoning\":{\"effort\":\"high\"},\"tools\":" + TOOLS + ","));
        FakeUpstream.Received claude = gw.fake.received("anthropic").get(0);
        assertFalse(claude.body().contains(GEMINI_SIG), claude.body());
        assertFalse(claude.json().has("thinking"), claude.body());
        JsonNode assistant = claude.json().path("messages").path(1);
        assertEquals("assistant", assistant.path("role").asText());
        assertEquals("tool_use", assistant.path("content").path(0).path("type").asText(), assistant.toString());

        // back to Gemini: the thought with its original signature, then the call
        gw.fake.enqueue("gemini", geminiThought());
        respond(replay("gemini/gemini-2.5-flash", output, result, "\"tools\":" + TOOLS + ","));
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(0), true);
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(1), false);
        JsonNode model = gw.fake.received("gemini").get(1).json().path("contents").path(1);
        assertEquals(GEMINI_SIG, model.path("parts").path(0).path("thoughtSignature").asText(), model.toString());
        assertEquals("Listing files.", model.path("parts").path(0).path("text").asText());
        assertEquals("shell", model.path("parts").path(1).path("functionCall").path("name").asText(), model.toString());
    }

    @Test
    void aClaudeThoughtGoesBackToClaudeSignedAndNeverToGemini() throws Exception {
        gw.fake.enqueue("anthropic", claudeThought());
        JsonNode output = respond("{\"model\":\"anthropic/claude-sonnet-4-5\",\"store\":false,\"reasoning\":{\"effort\":\"medium\"},"
                + "\"input\":\"Capital of France?\"}").path("output");
        reasoningItem(output);
        String sure = "{\"role\":\"user\",\"content\":\"Sure?\"}";

        gw.fake.enqueue("anthropic", anthropicMessage("Yes."));
        respond(replay("anthropic/claude-sonnet-4-5", output, sure, "\"reasoning\":{\"effort\":\"medium\"},"));
        JsonNode block = gw.fake.received("anthropic").get(1).json().path("messages").path(1).path("content").path(0);
        assertEquals("thinking", block.path("type").asText(), block.toString());
        assertEquals(CLAUDE_SIG, block.path("signature").asText(), "Anthropic's own signature, bare");
        assertEquals("Recalling it.", block.path("thinking").asText());

        gw.fake.enqueue("gemini", geminiThought());
        respond(replay("gemini/gemini-2.5-flash", output, sure, ""));
        FakeUpstream.Received gemini = gw.fake.received("gemini").get(0);
        assertFalse(gemini.body().contains(CLAUDE_SIG.substring(0, 12)), gemini.body());
        assertFalse(gemini.body().contains("canaryllm:"), gemini.body());
        JsonNode model = gemini.json().path("contents").path(1);
        assertEquals(1, model.path("parts").size(), model.toString());
        assertEquals("Paris.", model.path("parts").path(0).path("text").asText());
    }

    @Test
    void aStoredGeminiAnswerContinuedWithPreviousResponseIdFollowsTheSameRule() throws Exception {
        gw.fake.enqueue("gemini", geminiThought());
        JsonNode first = respond("{\"model\":\"gemini/gemini-2.5-flash\",\"input\":\"Capital of France?\"}");
        reasoningItem(first.path("output"));
        String id = first.path("id").asText();

        gw.fake.enqueue("anthropic", anthropicMessage("Yes, Paris."));
        respond("{\"model\":\"anthropic/claude-sonnet-4-5\",\"previous_response_id\":\"" + id + "\",\"reasoning\":{\"effort\":\"medium\"},"
                + "\"input\":\"Sure?\"}");
        FakeUpstream.Received claude = gw.fake.received("anthropic").get(0);
        assertFalse(claude.body().contains(GEMINI_SIG), claude.body());
        assertFalse(claude.body().contains("\"type\":\"thinking\""), claude.body());
        assertEquals(3, claude.json().path("messages").size(), claude.body());

        gw.fake.enqueue("gemini", geminiThought());
        respond("{\"model\":\"gemini/gemini-2.5-flash\",\"previous_response_id\":\"" + id + "\",\"input\":\"Sure?\"}");
        JsonNode model = gw.fake.received("gemini").get(1).json().path("contents").path(1);
        assertEquals(GEMINI_SIG, model.path("parts").path(0).path("thoughtSignature").asText(), model.toString());
    }
}
