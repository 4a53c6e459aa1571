package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TranslationException;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Reasoning;
import io.canaryllm.canonical.ResponseFormat;
import io.canaryllm.canonical.Role;
import io.canaryllm.canonical.Sampling;
import io.canaryllm.canonical.Tool;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiRequestsTest {
    private static final ModelLimits FLASH = new ModelLimits(65536, true);
    private static final Tool WEATHER = new Tool("get_weather", "Weather",
            Json.MAPPER.createObjectNode().put("type", "object").set("properties",
                    Json.MAPPER.createObjectNode().set("city", Json.MAPPER.createObjectNode().put("type", "string"))), null, null);

    private static JsonNode json(String s) throws Exception { return Json.MAPPER.readTree(s); }

    private static JsonNode fromChat(String chatBody) throws Exception {
        return GeminiRequests.fromCanonical(OpenAiChatRequests.toCanonical(json(chatBody)), FLASH);
    }

    private static ChatRequest request(List<Message> messages, List<Tool> tools, ToolChoice choice) {
        return new ChatRequest("m", List.of(), messages, tools, choice, null, Sampling.DEFAULT, null, null, null,
                false, null, Map.of(), null);
    }

    private static Message user(Part... parts) { return new Message(Role.USER, List.of(parts)); }

    private static Message assistant(Part... parts) { return new Message(Role.ASSISTANT, List.of(parts)); }

    @Test
    void shouldNameFunctionResponsesFromTheEarlierCall() throws Exception {
        // pitfall 5: Chat tool messages carry only the id
        JsonNode out = fromChat("""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":1}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"found"}]}""");
        JsonNode response = out.path("contents").get(2).path("parts").get(0).path("functionResponse");
        assertEquals("lookup", response.path("name").asText());
        assertEquals(json("{\"output\":\"found\"}"), response.path("response"), "pitfall 37: response is an object");
        assertEquals("user", out.path("contents").get(2).path("role").asText());
    }

    @Test
    void shouldTakeTheNameFromTheToolResultWhenItHasOne() {
        ChatRequest req = request(List.of(user(new Part.ToolResult("x", "named", List.of(new Part.Text("r")), true, null))), List.of(), null);
        JsonNode response = GeminiRequests.fromCanonical(req, FLASH).path("contents").get(0).path("parts").get(0).path("functionResponse");
        assertEquals("named", response.path("name").asText());
        assertEquals("r", response.path("response").path("error").asText(), "is_error → {\"error\": …}");
    }

    @Test
    void shouldRefuseAResultWhoseFunctionIsUnknownRatherThanInventAName() {
        ChatRequest req = request(List.of(user(new Part.ToolResult("orphan", null, List.of(new Part.Text("r")), false, null))), List.of(), null);
        TranslationException e = assertThrows(TranslationException.class, () -> GeminiRequests.fromCanonical(req, FLASH));
        assertEquals("messages", e.param());
    }

    @Test
    void shouldGroupParallelCallsAndTheirResponsesInOneContentEach() throws Exception {
        JsonNode out = fromChat("""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":"Both.","tool_calls":[
               {"id":"a","type":"function","function":{"name":"add","arguments":"{}"}},
               {"id":"b","type":"function","function":{"name":"mul","arguments":"not json"}}]},
             {"role":"tool","tool_call_id":"a","content":"5"},
             {"role":"tool","tool_call_id":"b","content":"6"},
             {"role":"user","content":"thanks"}]}""");
        JsonNode contents = out.path("contents");
        assertEquals(3, contents.size(), "user, model, user: same-role turns merged (pitfall 34)");
        JsonNode model = contents.get(1).path("parts");
        assertEquals("Both.", model.get(0).path("text").asText());
        assertEquals("add", model.get(1).path("functionCall").path("name").asText());
        assertEquals(json("{\"_raw\":\"not json\"}"), model.get(2).path("functionCall").path("args"), "pitfall 1");
        JsonNode results = contents.get(2).path("parts");
        assertEquals("add", results.get(0).path("functionResponse").path("name").asText());
        assertEquals("mul", results.get(1).path("functionResponse").path("name").asText());
        assertEquals("thanks", results.get(2).path("text").asText());
    }

    @Test
    void shouldReplayTheThoughtSignatureOfACallItAnswered() throws Exception {
        // the answer's call ids are all the client keeps; the signature must come back on the next request
        ChatResponse answer = GeminiResponses.toCanonical(json("""
            {"candidates":[{"content":{"role":"model","parts":[
              {"functionCall":{"name":"add","args":{"a":1}},"thoughtSignature":"SIG-ADD"},
              {"functionCall":{"name":"mul","args":{"a":1}}}]},"finishReason":"STOP"}]}"""));
        Part.ToolCall add = (Part.ToolCall) answer.parts().get(0);
        Part.ToolCall mul = (Part.ToolCall) answer.parts().get(1);
        // as an OpenAI client sends the calls back: ids and arguments only
        ChatRequest next = request(List.of(user(new Part.Text("go")),
                assistant(new Part.ToolCall(add.id(), "add", "{\"a\":1}"), new Part.ToolCall(mul.id(), "mul", "{\"a\":1}")),
                user(new Part.ToolResult(add.id(), null, List.of(new Part.Text("1")), false, null),
                        new Part.ToolResult(mul.id(), null, List.of(new Part.Text("1")), false, null))), List.of(), null);
        JsonNode model = GeminiRequests.fromCanonical(next, FLASH).path("contents").get(1).path("parts");
        assertEquals("SIG-ADD", model.get(0).path("thoughtSignature").asText());
        assertFalse(model.get(1).has("thoughtSignature"), "only the first call of a step carries one");
        assertFalse(model.get(0).path("functionCall").has("id"), "ids the gateway made up are not sent to Gemini");
    }

    @Test
    void shouldPreferTheSignatureOnTheCanonicalCallAndFallBackToTheSkipValue() {
        ChatRequest carried = request(List.of(user(new Part.Text("go")),
                assistant(new Part.ToolCall("x1", "f", "{}", null, "CARRIED"))), List.of(), null);
        assertEquals("CARRIED", GeminiRequests.fromCanonical(carried, FLASH).path("contents").get(1).path("parts").get(0).path("thoughtSignature").asText());
        ChatRequest foreign = request(List.of(user(new Part.Text("go")),
                assistant(new Part.ToolCall("toolu_from_claude", "f", "{}"))), List.of(), null);
        assertEquals(GeminiContents.SKIP_SIGNATURE,
                GeminiRequests.fromCanonical(foreign, FLASH).path("contents").get(1).path("parts").get(0).path("thoughtSignature").asText());
    }

    @Test
    void shouldEchoIdsGeminiIssued() throws Exception {
        ChatResponse answer = GeminiResponses.toCanonical(json("""
            {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"vertex-call-7","name":"f","args":{}}}]},"finishReason":"STOP"}]}"""));
        String id = ((Part.ToolCall) answer.parts().getFirst()).id();
        assertEquals("vertex-call-7", id);
        ChatRequest next = request(List.of(user(new Part.Text("go")), assistant(new Part.ToolCall(id, "f", "{}")),
                user(new Part.ToolResult(id, null, List.of(new Part.Text("ok")), false, null))), List.of(), null);
        JsonNode contents = GeminiRequests.fromCanonical(next, FLASH).path("contents");
        assertEquals("vertex-call-7", contents.get(1).path("parts").get(0).path("functionCall").path("id").asText());
        assertEquals("vertex-call-7", contents.get(2).path("parts").get(0).path("functionResponse").path("id").asText());
    }

    @Test
    void shouldReplaySignedThoughtsAndDropUnsignedOnes() {
        ChatRequest req = request(List.of(user(new Part.Text("q")), assistant(new Part.Thinking("mine", "TS", null),
                new Part.Thinking("foreign", null, null), new Part.RedactedThinking("enc", null), new Part.Text("a"))), List.of(), null);
        JsonNode parts = GeminiRequests.fromCanonical(req, FLASH).path("contents").get(1).path("parts");
        assertEquals(2, parts.size());
        assertEquals(Json.MAPPER.createObjectNode().put("text", "mine").put("thought", true).put("thoughtSignature", "TS"), parts.get(0));
        assertEquals("a", parts.get(1).path("text").asText());
    }

    @Test
    void shouldDropEmptyTextAndEmptyTurns() {
        ChatRequest req = request(List.of(user(new Part.Text("q")), assistant(new Part.Text("")), user(new Part.Text("again"))), List.of(), null);
        JsonNode contents = GeminiRequests.fromCanonical(req, FLASH).path("contents");
        assertEquals(1, contents.size(), "pitfall 35; the two user turns then merge");
        assertEquals(2, contents.get(0).path("parts").size());
    }

    @Test
    void shouldSendInlineAndFileImages() {
        ChatRequest req = request(List.of(user(Part.Image.ofData("image/png", "AAAA"), Part.Image.ofUrl("gs://b/p.jpg"),
                new Part.Document(null, "application/pdf", "JVBER", "a.pdf", null))), List.of(), null);
        JsonNode parts = GeminiRequests.fromCanonical(req, FLASH).path("contents").get(0).path("parts");
        assertEquals("image/png", parts.get(0).path("inlineData").path("mimeType").asText());
        assertEquals("AAAA", parts.get(0).path("inlineData").path("data").asText());
        assertEquals("gs://b/p.jpg", parts.get(1).path("fileData").path("fileUri").asText());
        assertEquals("image/jpeg", parts.get(1).path("fileData").path("mimeType").asText());
        assertEquals("application/pdf", parts.get(2).path("inlineData").path("mimeType").asText());
    }

    @Test
    void shouldMapEveryToolChoice() {
        assertEquals("{\"mode\":\"AUTO\"}", toolConfig(ToolChoice.AUTO));
        assertEquals("{\"mode\":\"NONE\"}", toolConfig(ToolChoice.NONE));
        assertEquals("{\"mode\":\"ANY\"}", toolConfig(ToolChoice.REQUIRED));
        assertEquals("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}", toolConfig(new ToolChoice.Named("get_weather")));
        assertFalse(GeminiRequests.fromCanonical(request(List.of(user(new Part.Text("q"))), List.of(WEATHER), null), FLASH).has("toolConfig"));
        // 5.4: never a toolConfig without function declarations
        JsonNode noTools = GeminiRequests.fromCanonical(request(List.of(user(new Part.Text("q"))), List.of(), ToolChoice.REQUIRED), FLASH);
        assertFalse(noTools.has("toolConfig"));
        assertFalse(noTools.has("tools"));
    }

    private static String toolConfig(ToolChoice c) {
        JsonNode out = GeminiRequests.fromCanonical(request(List.of(user(new Part.Text("q"))), List.of(WEATHER), c), FLASH);
        return out.path("toolConfig").path("functionCallingConfig").toString();
    }

    @Test
    void shouldFillGenerationConfig() {
        ChatRequest req = new ChatRequest("m", List.of(new Part.Text("sys")), List.of(user(new Part.Text("q"))), List.of(), null, null,
                new Sampling(0.2, 0.8, 20, List.of("A", "B")), 100_000,
                new ResponseFormat.JsonSchema("answer", Json.MAPPER.createObjectNode().put("type", "object")
                        .put("additionalProperties", false).set("properties", Json.MAPPER.createObjectNode()
                                .set("a", Json.MAPPER.createObjectNode().put("type", "string"))), true),
                new Reasoning(true, null, "high"), true, null, Map.of(), null);
        JsonNode out = GeminiRequests.fromCanonical(req, new ModelLimits(8192, true));
        JsonNode g = out.path("generationConfig");
        assertEquals(8192, g.path("maxOutputTokens").asInt(), "clamped to the model");
        assertEquals(0.2, g.path("temperature").asDouble());
        assertEquals(0.8, g.path("topP").asDouble());
        assertEquals(20, g.path("topK").asInt());
        assertEquals("[\"A\",\"B\"]", g.path("stopSequences").toString());
        assertEquals("application/json", g.path("responseMimeType").asText());
        assertEquals("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", g.path("responseSchema").toString());
        assertEquals(4096, g.path("thinkingConfig").path("thinkingBudget").asInt());
        assertTrue(g.path("thinkingConfig").path("includeThoughts").asBoolean());
        assertEquals("sys", out.path("systemInstruction").path("parts").get(0).path("text").asText());
        assertFalse(out.has("model"), "the model goes in the URL");
        assertFalse(out.has("stream"), "streaming is chosen by the path");
    }

    @Test
    void shouldDeriveTheThinkingBudget() {
        assertEquals(3000, GeminiRequests.thinkingBudget(new Reasoning(true, 3000, null), FLASH));
        assertEquals(1024, GeminiRequests.thinkingBudget(new Reasoning(true, null, "low"), FLASH));
        assertEquals(GeminiRequests.MAX_THINKING_BUDGET, GeminiRequests.thinkingBudget(new Reasoning(true, 1_000_000, null), FLASH));
        assertEquals(null, GeminiRequests.thinkingBudget(Reasoning.DISABLED, FLASH));
        assertEquals(null, GeminiRequests.thinkingBudget(new Reasoning(true, 2048, null), new ModelLimits(8192, false)));
    }

    @Test
    void shouldSendJsonModeWithoutSchema() {
        ChatRequest req = new ChatRequest("m", List.of(), List.of(user(new Part.Text("q"))), List.of(), null, null, null, null,
                new ResponseFormat.JsonObject(), null, false, null, Map.of(), null);
        JsonNode g = GeminiRequests.fromCanonical(req, FLASH).path("generationConfig");
        assertEquals("application/json", g.path("responseMimeType").asText());
        assertFalse(g.has("responseSchema"));
    }

    @Test
    void shouldRefuseMoreStopSequencesThanGeminiTakes() {
        ChatRequest req = new ChatRequest("m", List.of(), List.of(user(new Part.Text("q"))), List.of(), null, null,
                new Sampling(null, null, null, List.of("1", "2", "3", "4", "5", "6")), null, null, null, false, null, Map.of(), null);
        assertEquals("stop", assertThrows(TranslationException.class, () -> GeminiRequests.fromCanonical(req, FLASH)).param());
    }
}
