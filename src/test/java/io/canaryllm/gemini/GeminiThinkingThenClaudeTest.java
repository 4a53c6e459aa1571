package io.canaryllm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.testing.AnthropicSse;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.canaryllm.testing.FakeUpstream.anthropicMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Anthropic client (Claude Code) gets a signed Gemini thought, keeps it in its history, and switches the
 * conversation to Claude (the Anthropic wire, byte-exact passthrough otherwise) or back to Gemini.
 */
class GeminiThinkingThenClaudeTest {
    private static final String SIG = "CiQB0e2Kb02QlBJ2";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static FakeUpstream.Script plainGeminiThought() {
        return a -> a.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"Weighing it.","thought":true,"thoughtSignature":"%s"},
                  {"text":"Paris."}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":4,"thoughtsTokenCount":6,"totalTokenCount":18},
                 "modelVersion":"gemini-2.5-flash","responseId":"r1"}""".formatted(SIG));
    }

    private static FakeUpstream.Script streamedGeminiThoughtAndCall() {
        return a -> {
            a.startSse();
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Weighing \",\"thought\":true}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"it.\",\"thought\":true,\"thoughtSignature\":\"" + SIG + "\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}}}],\"role\":\"model\"},"
                    + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":4,\"totalTokenCount\":12}}\r\n\r\n");
        };
    }

    private JsonNode post(String body) throws Exception {
        var r = gw.post("/v1/messages", body, "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01");
        assertEquals(200, r.statusCode(), r.body());
        return r.body().startsWith("{") ? TestGateway.json(r.body()) : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .set("content", AnthropicSse.contentBlocks(r.body()));
    }

    private static String history(String model, JsonNode assistantContent, String next, String thinking) {
        return """
                {"model":"%s","max_tokens":4000,%s"messages":[
                 {"role":"user","content":[{"type":"text","text":"Capital of France?"}]},
                 {"role":"assistant","content":%s},
                 {"role":"user","content":%s}]}""".formatted(model, thinking, assistantContent.toString(), next);
    }

    @Test
    void aPlainGeminiThoughtIsDroppedForClaudeAndSignedAgainForGemini() throws Exception {
        gw.fake.enqueue("gemini", plainGeminiThought());
        JsonNode answer = post("{\"model\":\"gemini/gemini-2.5-flash\",\"max_tokens\":4000,\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");
        JsonNode thinking = answer.path("content").path(0);
        assertEquals("thinking", thinking.path("type").asText());
        assertEquals("canaryllm:gemini:" + SIG, thinking.path("signature").asText(), "never Gemini's signature bare");
        JsonNode content = answer.path("content");

        // switch to Claude: the Gemini thought goes, everything else arrives as sent
        gw.fake.enqueue("anthropic", anthropicMessage("Yes, Paris."));
        String toClaude = history("anthropic/claude-sonnet-4-5", content, "[{\"type\":\"text\",\"text\":\"Sure?\"}]", "");
        post(toClaude);
        JsonNode up = gw.fake.received("anthropic").get(0).json();
        assertFalse(gw.fake.received("anthropic").get(0).body().contains("canaryllm:"), "no gateway signature reaches Anthropic");
        ObjectNode expected = (ObjectNode) TestGateway.json(toClaude);
        ((ArrayNode) expected.path("messages").path(1).path("content")).remove(0);
        expected.set("model", up.path("model"));
        assertEquals(expected, up, "the rest of the history unchanged");
        assertEquals(1, up.path("messages").path(1).path("content").size());

        // back to Gemini: its own signature again
        gw.fake.enqueue("gemini", plainGeminiThought());
        post(history("gemini/gemini-2.5-flash", content, "[{\"type\":\"text\",\"text\":\"Sure?\"}]", ""));
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(0), false);
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(1), false);
        JsonNode model = gw.fake.received("gemini").get(1).json().path("contents").path(1);
        assertEquals("model", model.path("role").asText());
        assertEquals(SIG, model.path("parts").path(0).path("thoughtSignature").asText(), model.toString());
        assertTrue(model.path("parts").path(0).path("thought").asBoolean());
    }

    @Test
    void aStreamedGeminiThoughtInAToolLoopGoesToClaudeWithoutThinkingAndToGeminiSigned() throws Exception {
        gw.fake.enqueue("gemini", streamedGeminiThoughtAndCall());
        JsonNode answer = post("{\"model\":\"gemini/gemini-2.5-flash\",\"max_tokens\":4000,\"stream\":true,"
                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");
        JsonNode content = answer.path("content");
        assertEquals("Weighing it.", content.path(0).path("thinking").asText());
        assertEquals("canaryllm:gemini:" + SIG, content.path(0).path("signature").asText(), "the stream signs as the plain answer does");
        String callId = content.path(1).path("id").asText();
        String results = "[{\"type\":\"tool_result\",\"tool_use_id\":\"" + callId + "\",\"content\":\"a.txt\"}]";
        String tools = "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}],";

        // Claude with thinking on, mid tool loop: the turn cannot start with a valid thinking block, so this request
        // goes without thinking (no signature is made up)
        gw.fake.enqueue("anthropic", anthropicMessage("a.txt it is."));
        String toClaude = history("anthropic/claude-sonnet-4-5", content, results,
                tools + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},");
        post(toClaude);
        FakeUpstream.Received up = gw.fake.received("anthropic").get(0);
        assertFalse(up.body().contains("canaryllm:"), up.body());
        assertFalse(up.json().has("thinking"), up.body());
        ObjectNode expected = (ObjectNode) TestGateway.json(toClaude);
        ((ArrayNode) expected.path("messages").path(1).path("content")).remove(0);
        expected.remove("thinking");
        expected.set("model", up.json().path("model"));
        assertEquals(expected, up.json());

        // Claude on Vertex: the same wire, the same filter
        gw.fake.enqueue("oauth", GoogleToken.endpoint(gw));
        gw.fake.enqueue("vertex", anthropicMessage("a.txt via Vertex."));
        post(history("vertex/claude-sonnet-4-5", content, results, tools));
        FakeUpstream.Received vertex = gw.fake.received("vertex").get(0);
        assertFalse(vertex.body().contains("canaryllm:"), vertex.body());
        assertEquals("tool_use", vertex.json().path("messages").path(1).path("content").path(0).path("type").asText());

        // back to Gemini: the thought with its original signature
        gw.fake.enqueue("gemini", plainGeminiThought());
        post(history("gemini/gemini-2.5-flash", content, results, tools));
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(0), true);
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(1), false);
        JsonNode model = gw.fake.received("gemini").get(1).json().path("contents").path(1);
        assertEquals(SIG, model.path("parts").path(0).path("thoughtSignature").asText(), model.toString());
        assertEquals("Bash", model.path("parts").path(1).path("functionCall").path("name").asText());
    }

    @Test
    void aHistoryWithoutGatewaySignaturesPassesThroughByteForByte() throws Exception {
        gw.fake.enqueue("anthropic", anthropicMessage("ok"));
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",  \"max_tokens\":100,\"temperature\":1.0,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\","
                + "\"signature\":\"EsQDCkYICBgCKkBr9+FT\"},{\"type\":\"text\",\"text\":\"yo\"}]},{\"role\":\"user\",\"content\":\"canaryllm:gemini: in a text\"}]}";
        post(body);
        FakeUpstream.Received up = gw.fake.received("anthropic").get(0);
        String upstreamModel = up.json().path("model").asText();
        assertEquals(body.replace("\"anthropic/claude-sonnet-4-5\"", "\"" + upstreamModel + "\""), up.body());
    }
}
