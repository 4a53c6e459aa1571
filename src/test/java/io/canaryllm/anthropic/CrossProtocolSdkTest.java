package io.canaryllm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static io.canaryllm.testing.FakeUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Official SDKs across protocols: the Anthropic SDK on an OpenAI model (fake OpenAI upstream) and the OpenAI SDK on
 * an Anthropic model (fake Anthropic upstream), plain, streamed and with a tool round trip.
 */
class CrossProtocolSdkTest {
    private final TestGateway gw = TestGateway.get();
    private final AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();
    private final OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Weather by city")
                .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build()).build();
    }

    @Test
    void anthropicSdkOnAnOpenAiModelPlainAndStreamedWithToolRoundTrip() {
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "Hello from GPT"));
        Message plain = anthropic.messages().create(MessageCreateParams.builder().model("openai/gpt-4.1").maxTokens(100)
                .system("Be terse.").addUserMessage("Say hello").build());
        assertEquals("Hello from GPT", plain.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, plain.stopReason().orElseThrow());
        var up = gw.fake.received("openai").get(0).json();
        assertEquals("gpt-4.1", up.path("model").asText());
        assertEquals("system", up.path("messages").get(0).path("role").asText());
        assertEquals("Be terse.", up.path("messages").get(0).path("content").asText());

        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":null}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"id\":\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
            a.data(chunk("gpt-4.1", "{}", "tool_calls"));
            a.data(usageChunk("gpt-4.1", 30, 12));
            a.data("[DONE]");
        }, FakeUpstream.completion("gpt-4.1", "18 degrees."));
        MessageCreateParams.Builder params = MessageCreateParams.builder().model("openai/gpt-4.1").maxTokens(200)
                .addTool(weatherTool()).addUserMessage("Weather in Paris?");
        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message first = acc.message();
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        ToolUseBlock use = first.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().toolUse().orElseThrow();
        assertEquals("get_weather", use.name());
        assertEquals("Paris", use._input().convert(Map.class).get("city"));
        assertEquals(12, first.usage().outputTokens());
        assertTrue(gw.fake.received("openai").get(1).json().path("stream_options").path("include_usage").asBoolean(),
                "the gateway asks the OpenAI upstream for usage");

        Message second = anthropic.messages().create(params.addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(use.id()).content("18°C").build())))
                .build());
        assertEquals("18 degrees.", second.content().get(0).text().orElseThrow().text());
        var messages = gw.fake.received("openai").get(2).json().path("messages");
        var assistant = messages.get(1);
        assertEquals("assistant", assistant.path("role").asText());
        String callId = assistant.path("tool_calls").get(0).path("id").asText();
        assertEquals("tool", messages.get(2).path("role").asText());
        assertEquals(callId, messages.get(2).path("tool_call_id").asText(), "tool ids map back to the same call");
    }

    @Test
    void openAiSdkOnAnAnthropicModelPlainAndStreamedWithTools() {
        gw.fake.enqueue("anthropic", AnthropicSdkTest.message("Hello from Claude"));
        ChatCompletion plain = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("anthropic/claude-sonnet-4-5").addSystemMessage("Be terse.").addUserMessage("Say hello").build());
        assertEquals("Hello from Claude", plain.choices().get(0).message().content().orElseThrow());
        assertEquals(18, plain.usage().orElseThrow().totalTokens());
        var up = gw.fake.received("anthropic").get(0);
        assertEquals("claude-sonnet-4-5", up.json().path("model").asText());
        assertEquals("Be terse.", up.json().path("system").isTextual() ? up.json().path("system").asText()
                : up.json().path("system").get(0).path("text").asText());
        assertEquals(64000, up.json().path("max_tokens").asInt(), "max_tokens supplied: the model's maximum output");
        assertEquals(TestGateway.UPSTREAM_KEY, up.headers().get("x-api-key"));

        gw.fake.enqueue("anthropic", a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01B\",\"name\":\"get_weather\",\"input\":{}}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Rome\\\"}\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}");
            a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}");
            a.event("message_stop", "{\"type\":\"message_stop\"}");
        }, AnthropicSdkTest.message("Paris 18, Rome 22."));
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                        .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build()).build();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("anthropic/claude-sonnet-4-5")
                .addUserMessage("Weather in Paris and Rome?").addFunctionTool(weather)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        long[] usage = new long[1];
        try (var stream = openai.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(c -> {
                acc.accumulate(c);
                c.usage().ifPresent(u -> usage[0] = u.totalTokens());
            });
        }
        ChatCompletion first = acc.chatCompletion();
        assertEquals("Checking.", first.choices().get(0).message().content().orElseThrow());
        var calls = first.choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(2, calls.size(), "parallel calls keep their own index");
        assertEquals("{\"city\": \"Paris\"}", calls.get(0).asFunction().function().arguments());
        assertEquals("{\"city\": \"Rome\"}", calls.get(1).asFunction().function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());
        assertEquals(90, usage[0], "one usage chunk: 50 in + 40 out");

        ChatCompletion second = openai.chat().completions().create(params.addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).asFunction().id()).content("18").build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(1).asFunction().id()).content("22").build())
                .build());
        assertEquals("Paris 18, Rome 22.", second.choices().get(0).message().content().orElseThrow());
        var messages = gw.fake.received("anthropic").get(2).json().path("messages");
        var toolTurn = messages.get(messages.size() - 1);
        assertEquals("user", toolTurn.path("role").asText());
        assertEquals(2, toolTurn.path("content").size(), "consecutive tool messages become one user turn");
        assertEquals("toolu_01A", toolTurn.path("content").get(0).path("tool_use_id").asText());
        assertEquals("toolu_01B", toolTurn.path("content").get(1).path("tool_use_id").asText());
        assertFalse(gw.fake.received("anthropic").get(2).body().contains("\"text\":\"\""), "no empty text block is sent");
    }
}
