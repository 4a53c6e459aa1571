package io.canaryllm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.helpers.BetaMessageAccumulator;
import com.anthropic.models.beta.messages.BetaContentBlockParam;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaRequestToolAdditionBlock;
import com.anthropic.models.beta.messages.BetaRequestToolRemovalBlock;
import com.anthropic.models.beta.messages.BetaStopReason;
import com.anthropic.models.beta.messages.BetaSystemMessageOutputConfig;
import com.anthropic.models.beta.messages.BetaSystemMessageParam;
import com.anthropic.models.beta.messages.BetaTextBlockParam;
import com.anthropic.models.beta.messages.BetaTool;
import com.anthropic.models.beta.messages.BetaToolChangeToolReference;
import com.anthropic.models.beta.messages.BetaToolResultBlockParam;
import com.anthropic.models.beta.messages.BetaToolUseBlock;
import com.anthropic.models.beta.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static io.canaryllm.testing.FakeUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic's beta {@code role: "system"} messages as Claude Code sends them for non-Claude models, through the real
 * routes with the official anthropic-java beta client: kept in place for an OpenAI model (not turned into the user's
 * last words), folded into Gemini's systemInstruction, passed byte for byte to Anthropic.
 */
class SystemMessagesThroughGatewayTest {
    private final TestGateway gw = TestGateway.get();
    private final AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static BetaSystemMessageParam.Content.SystemMessageContentBlock text(String text) {
        return BetaSystemMessageParam.Content.SystemMessageContentBlock.ofText(BetaTextBlockParam.builder().text(text).build());
    }

    private static BetaTool tool(String name) {
        return BetaTool.builder().name(name).description(name + " tool").inputSchema(BetaTool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("arg", Map.of("type", "string")))).build()).build();
    }

    @Test
    void betaClientOnAnOpenAiModelKeepsTheSystemMessageInPlaceWithItsEffort() {
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-5", "Two files."));
        BetaMessage m = client.beta().messages().create(MessageCreateParams.builder().model("openai/gpt-5").maxTokens(1000)
                .system("You are Claude Code.")
                .addUserMessage("List the files.")
                .addMessage(BetaSystemMessageParam.builder()
                        .contentOfBlocks(List.of(text("<available-agents>Explore</available-agents>")))
                        .clearAt(BetaSystemMessageParam.ClearAt.NEVER)
                        .outputConfig(BetaSystemMessageOutputConfig.builder().effort(BetaSystemMessageOutputConfig.Effort.HIGH).build())
                        .build())
                .build());
        assertEquals("Two files.", m.content().get(0).text().orElseThrow().text());

        JsonNode up = gw.fake.received("openai").get(0).json();
        assertEquals(List.of("system", "user", "system"), roles(up.path("messages")));
        assertEquals("List the files.", up.path("messages").get(1).path("content").asText());
        assertEquals("<available-agents>Explore</available-agents>", up.path("messages").get(2).path("content").asText(),
                "the agent list is a system message after the prompt, not the user's last words");
        assertEquals("high", up.path("reasoning_effort").asText());
    }

    @Test
    void betaClientStreamsAToolRoundTripWithToolsChangedBySystemMessages() {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":null}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Glob\",\"arguments\":\"\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"arg\\\":\\\"*.md\\\"}\"}}]}", null));
            a.data(chunk("gpt-4.1", "{}", "tool_calls"));
            a.data(usageChunk("gpt-4.1", 40, 9));
            a.data("[DONE]");
        }, FakeUpstream.completion("gpt-4.1", "README.md"));
        BetaSystemMessageParam toolsChange = BetaSystemMessageParam.builder().contentOfBlocks(List.of(
                        BetaSystemMessageParam.Content.SystemMessageContentBlock.ofToolRemoval(
                                BetaRequestToolRemovalBlock.of(BetaToolChangeToolReference.of("Read"))),
                        BetaSystemMessageParam.Content.SystemMessageContentBlock.ofToolAddition(
                                BetaRequestToolAdditionBlock.of(BetaToolChangeToolReference.of("Glob"))),
                        text("Use Glob to find files.")))
                .build();
        BetaSystemMessageParam reminder = BetaSystemMessageParam.builder().content("<system-reminder>one-off</system-reminder>")
                .clearAt(BetaSystemMessageParam.ClearAt.NEXT_USER_MESSAGE).build();
        MessageCreateParams.Builder params = MessageCreateParams.builder().model("openai/gpt-4.1").maxTokens(500)
                .addTool(tool("Bash")).addTool(tool("Read")).addTool(tool("Glob"))
                .addMessage(toolsChange).addUserMessage("Find the markdown files.").addMessage(reminder);

        BetaMessageAccumulator acc = BetaMessageAccumulator.create();
        try (var stream = client.beta().messages().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        BetaMessage first = acc.message();
        assertEquals(BetaStopReason.TOOL_USE, first.stopReason().orElseThrow());
        BetaToolUseBlock use = first.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().toolUse().orElseThrow();
        assertEquals("Glob", use.name());

        JsonNode up = gw.fake.received("openai").get(0).json();
        assertEquals(List.of("Bash", "Glob"), toolNames(up), "Read was withdrawn by the system message");
        assertEquals(List.of("system", "user", "system"), roles(up.path("messages")));
        assertEquals("<system-reminder>one-off</system-reminder>", up.path("messages").get(2).path("content").asText(),
                "next_user_message: shown to the turn it precedes");

        BetaMessage second = client.beta().messages().create(params.addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(BetaContentBlockParam.ofToolResult(
                        BetaToolResultBlockParam.builder().toolUseId(use.id()).content("README.md").build())))
                .build());
        assertEquals("README.md", second.content().get(0).text().orElseThrow().text());
        JsonNode next = gw.fake.received("openai").get(1).json();
        assertEquals(List.of("system", "user", "assistant", "tool"), roles(next.path("messages")),
                "the reminder is cleared once a later user message (the tool result) exists");
        assertFalse(next.toString().contains("one-off"));
        assertEquals(next.path("messages").get(2).path("tool_calls").get(0).path("id").asText(),
                next.path("messages").get(3).path("tool_call_id").asText());
    }

    @Test
    void geminiGetsTheSystemMessageInItsSystemInstruction() throws Exception {
        gw.fake.enqueue("gemini", a -> a.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":1,"totalTokenCount":9}}"""));
        HttpResponse<String> r = gw.post("/v1/messages", """
                {"model":"gemini/gemini-2.5-flash","max_tokens":100,"messages":[
                  {"role":"user","content":"hi"},
                  {"role":"system","content":[{"type":"text","text":"<available-agents>Explore</available-agents>"}]}]}""",
                "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode up = gw.fake.received("gemini").get(0).json();
        assertEquals("<available-agents>Explore</available-agents>", up.path("systemInstruction").path("parts").get(0).path("text").asText());
        assertEquals(1, up.path("contents").size());
        assertEquals("hi", up.path("contents").get(0).path("parts").get(0).path("text").asText());
    }

    @Test
    void anthropicGetsTheSystemMessagesByteForByte() throws Exception {
        gw.fake.enqueue("anthropic", FakeUpstream.anthropicMessage("ok"));
        String body = """
                {"model":"anthropic/claude-sonnet-4-5","max_tokens":100,"messages":[
                  {"role":"user","content":"hi"},
                  {"role":"system","clear_at":"next_user_message","output_config":{"effort":"low"},
                   "content":[{"type":"text","text":"x"},{"type":"tool_removal","tool":{"type":"tool_reference","name":"Read"}}]}],
                 "tools":[{"name":"Read","input_schema":{"type":"object"}}]}""";
        HttpResponse<String> r = gw.post("/v1/messages", body, "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01",
                "anthropic-beta", "system-messages-2026-01-01");
        assertEquals(200, r.statusCode(), r.body());
        FakeUpstream.Received up = gw.fake.received("anthropic").get(0);
        assertEquals(body.replace("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"), up.body(), "only the model is rewritten");
        assertEquals("system-messages-2026-01-01", up.headers().get("anthropic-beta"));
        assertTrue(up.headers().containsKey("anthropic-version"));
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }

    private static List<String> toolNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }
}
