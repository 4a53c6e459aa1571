package io.canaryllm.bedrock;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.canaryllm.testing.FakeBedrock;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeBedrock.blockStop;
import static io.canaryllm.testing.FakeBedrock.messageStart;
import static io.canaryllm.testing.FakeBedrock.messageStop;
import static io.canaryllm.testing.FakeBedrock.metadata;
import static io.canaryllm.testing.FakeBedrock.textDelta;
import static io.canaryllm.testing.FakeBedrock.toolDelta;
import static io.canaryllm.testing.FakeBedrock.toolStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bedrock/* through the gateway with the official SDKs as callers (OpenAI Chat, Anthropic Messages, OpenAI
 * Responses): plain answers, ConverseStream event streams and a tool round trip. The fake Bedrock refuses any request
 * whose SigV4 signature does not hold (FakeBedrock), so every answer here also proves the call was signed.
 */
class BedrockThroughGatewayTest {
    private static final String SONNET = "bedrock/anthropic.claude-sonnet-4-5";
    private static final String SONNET_PATH = "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/";
    private final TestGateway gw = TestGateway.get();
    private final OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();
    private final AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    /** Every request the fake got was signed as it must be (the fake answered 403 otherwise). */
    private List<FakeUpstream.Received> signedRequests(int expected) {
        List<FakeUpstream.Received> got = gw.fake.received(FakeBedrock.PROVIDER);
        assertEquals(expected, got.size());
        for (FakeUpstream.Received r : got) {
            assertNull(FakeBedrock.refusal(r), r.path());
            assertTrue(r.headers().get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), r.headers().toString());
            assertFalse(r.headers().containsKey("x-api-key") || r.headers().get("authorization").contains(gw.apiKey), "no gateway key upstream");
        }
        return got;
    }

    private static FunctionDefinition weatherFunction() {
        return FunctionDefinition.builder().name("get_weather").description("Weather by city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build()).build();
    }

    @Test
    void openAiChatPlainIsAConverseCall() {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.text("Hello from Bedrock"));
        ChatCompletion c = openai.chat().completions().create(ChatCompletionCreateParams.builder().model(SONNET)
                .addSystemMessage("Be brief.").addUserMessage("hi").maxCompletionTokens(200).temperature(0.3)
                .stop("STOP").build());
        assertEquals("Hello from Bedrock", c.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
        assertEquals(11, c.usage().orElseThrow().promptTokens());
        assertEquals(5, c.usage().orElseThrow().completionTokens());

        FakeUpstream.Received up = signedRequests(1).get(0);
        assertEquals(SONNET_PATH + "converse", up.path(), "the model id is URL-encoded in the path");
        assertEquals("application/json", up.headers().get("accept"));
        var body = up.json();
        assertEquals("Be brief.", body.path("system").get(0).path("text").asText());
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertEquals("hi", body.path("messages").get(0).path("content").get(0).path("text").asText());
        assertEquals(200, body.path("inferenceConfig").path("maxTokens").asInt());
        assertEquals(0.3, body.path("inferenceConfig").path("temperature").asDouble(), 1e-9);
        assertEquals("STOP", body.path("inferenceConfig").path("stopSequences").get(0).asText());
        assertFalse(body.has("model"), "the model is in the path, not the body");
    }

    @Test
    void openAiChatStreamsAndThenAToolRoundTrip() {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Let me check."), blockStop(0),
                        toolStart(1, "tooluse_abc123", "get_weather"), toolDelta(1, "{\"city\":"), toolDelta(1, "\"Paris\"}"),
                        blockStop(1), messageStop("tool_use"), metadata(30, 12)),
                FakeBedrock.text("It is 18 degrees in Paris."));
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(SONNET)
                .addUserMessage("Weather in Paris?").addFunctionTool(weatherFunction());
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (var stream = openai.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion first = acc.chatCompletion();
        assertEquals("Let me check.", first.choices().get(0).message().content().orElseThrow());
        var call = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertEquals("tooluse_abc123", call.id());
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"city\":\"Paris\"}", call.function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());

        ChatCompletion second = openai.chat().completions().create(params.addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 degrees").build()).build());
        assertEquals("It is 18 degrees in Paris.", second.choices().get(0).message().content().orElseThrow());

        List<FakeUpstream.Received> ups = signedRequests(2);
        assertEquals(SONNET_PATH + "converse-stream", ups.get(0).path());
        assertEquals("application/vnd.amazon.eventstream", ups.get(0).headers().get("accept"));
        var tools = ups.get(0).json().path("toolConfig");
        assertEquals("get_weather", tools.path("tools").get(0).path("toolSpec").path("name").asText());
        assertEquals("object", tools.path("tools").get(0).path("toolSpec").path("inputSchema").path("json").path("type").asText());
        assertFalse(tools.has("toolChoice"), "no choice from the client: Bedrock's default (auto)");

        var messages = ups.get(1).json().path("messages");
        assertEquals(3, messages.size(), messages.toString());
        var use = messages.get(1).path("content").get(1).path("toolUse");
        assertEquals("tooluse_abc123", use.path("toolUseId").asText());
        assertEquals("Paris", use.path("input").path("city").asText(), "the call's input goes back as an object");
        var result = messages.get(2).path("content").get(0).path("toolResult");
        assertEquals("tooluse_abc123", result.path("toolUseId").asText(), "the tool result answers Bedrock's own id");
        assertEquals("18 degrees", result.path("content").get(0).path("text").asText());
        assertTrue(ups.get(1).json().has("toolConfig"), "tool blocks in the history need the toolConfig");
    }

    @Test
    void anthropicSdkPlainStreamAndToolRoundTrip() {
        gw.fake.enqueue(FakeBedrock.PROVIDER,
                FakeBedrock.converse("[{\"toolUse\":{\"toolUseId\":\"tooluse_x1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}}]",
                        "tool_use", 40, 9),
                FakeBedrock.textStream("Cold: ", "-3 degrees."));
        Tool weather = Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                .properties(com.anthropic.core.JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();
        MessageCreateParams.Builder params = MessageCreateParams.builder().model(SONNET).maxTokens(300)
                .addUserMessage("Weather in Oslo?").addTool(weather);
        Message first = anthropic.messages().create(params.build());
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        ToolUseBlock use = first.content().get(0).toolUse().orElseThrow();
        assertEquals("tooluse_x1", use.id());
        assertEquals(40, first.usage().inputTokens());

        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params.addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("-3").build()))).build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertEquals("Cold: -3 degrees.", acc.message().content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, acc.message().stopReason().orElseThrow());
        assertEquals(2, acc.message().usage().outputTokens());

        List<FakeUpstream.Received> ups = signedRequests(2);
        assertEquals(SONNET_PATH + "converse", ups.get(0).path());
        assertEquals(300, ups.get(0).json().path("inferenceConfig").path("maxTokens").asInt());
        assertEquals(SONNET_PATH + "converse-stream", ups.get(1).path());
        var result = ups.get(1).json().path("messages").get(2).path("content").get(0).path("toolResult");
        assertEquals("tooluse_x1", result.path("toolUseId").asText());
        assertEquals("-3", result.path("content").get(0).path("text").asText());
    }

    @Test
    void responsesCallerPlainAndStreamedOnNova() {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.text("Nova here"), FakeBedrock.textStream("Streamed ", "Nova"));
        Response plain = openai.responses().create(ResponseCreateParams.builder().model("bedrock/amazon.nova-pro")
                .instructions("Answer in two words.").input("hi").build());
        assertEquals("Nova here", plain.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());

        ResponseAccumulator acc = ResponseAccumulator.create();
        try (var stream = openai.responses().createStreaming(ResponseCreateParams.builder().model("bedrock/amazon.nova-pro")
                .input("hi again").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertEquals("Streamed Nova", acc.response().output().get(0).message().orElseThrow().content().get(0).outputText()
                .orElseThrow().text());
        List<FakeUpstream.Received> ups = signedRequests(2);
        assertEquals("/bedrock/model/amazon.nova-pro-v1%3A0/converse", ups.get(0).path());
        assertEquals("Answer in two words.", ups.get(0).json().path("system").get(0).path("text").asText());
        assertEquals("/bedrock/model/amazon.nova-pro-v1%3A0/converse-stream", ups.get(1).path());
    }

    @Test
    void theModelsAreListedWithTheirPrices() throws Exception {
        var models = TestGateway.json(gw.get("/api/public/models").body()).toString();
        for (String id : List.of(SONNET, "bedrock/meta.llama3-3-70b-instruct", "bedrock/mistral.mistral-large-2407",
                "bedrock/amazon.nova-pro", "bedrock/amazon.nova-lite")) {
            assertTrue(models.contains("\"" + id + "\""), id);
        }
    }
}
