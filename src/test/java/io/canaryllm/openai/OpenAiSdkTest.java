package io.canaryllm.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static io.canaryllm.testing.FakeUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK pointed at the gateway, the gateway pointed at a fake OpenAI upstream. */
class OpenAiSdkTest {
    private final TestGateway gw = TestGateway.get();
    private final OpenAIClient client = OpenAIOkHttpClient.builder()
            .baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    @Test
    void nonStreamingCompletionPassesThroughWithOnlyTheModelRewritten() {
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1-2025-04-14", "Hello from upstream"));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4.1")
                .addSystemMessage("Be terse.")
                .addUserMessage("Say hello")
                .temperature(0.2)
                .putAdditionalBodyProperty("x_unknown_field", JsonValue.from(Map.of("kept", true)))
                .build());

        assertEquals("Hello from upstream", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(12, completion.usage().orElseThrow().totalTokens());
        FakeUpstream.Received up = gw.fake.received("openai").get(0);
        assertEquals("/openai/v1/chat/completions", up.path());
        assertEquals("gpt-4.1", up.json().path("model").asText());
        assertEquals(0.2, up.json().path("temperature").asDouble());
        assertTrue(up.json().path("x_unknown_field").path("kept").asBoolean(), "unknown fields survive");
        assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, up.headers().get("authorization"), "the gateway's own upstream key");
        assertFalse(up.body().contains(gw.apiKey), "the caller's key never goes upstream");
    }

    @Test
    void streamWithIncludeUsageDeliversEveryChunkAndTheUsageChunk() {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\"Hello\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\" there!\"}", null));
            a.data(chunk("gpt-4.1", "{}", "stop"));
            a.data(usageChunk("gpt-4.1", 9, 3));
            a.data("[DONE]");
        });
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("openai/gpt-4.1").addUserMessage("hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(c -> {
                chunks.add(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertEquals("Hello there!", text.toString());
        assertEquals(5, chunks.size());
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.choices().isEmpty());
        assertEquals(12, last.usage().orElseThrow().totalTokens());
        var up = gw.fake.received("openai").get(0).json();
        assertTrue(up.path("stream").asBoolean());
        assertTrue(up.path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void toolCallRoundTripWithStreamedArguments() {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":null}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"id\":\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
            a.data(chunk("gpt-4.1", "{}", "tool_calls"));
            a.data("[DONE]");
        }, FakeUpstream.completion("gpt-4.1", "It is 18 degrees in Paris."));

        FunctionDefinition weather = weatherFunction();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("openai/gpt-4.1").addUserMessage("Weather in Paris?").addFunctionTool(weather);

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion first = acc.chatCompletion();
        ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertEquals("call_abc123", call.asFunction().id());
        assertEquals("get_weather", call.asFunction().function().name());
        assertEquals("{\"city\":\"Paris\"}", call.asFunction().function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());

        ChatCompletion second = client.chat().completions().create(params
                .addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_abc123").content("18°C").build())
                .build());
        assertEquals("It is 18 degrees in Paris.", second.choices().get(0).message().content().orElseThrow());

        var up = gw.fake.received("openai").get(1).json();
        var messages = up.path("messages");
        assertEquals("assistant", messages.get(1).path("role").asText());
        assertEquals("call_abc123", messages.get(1).path("tool_calls").get(0).path("id").asText());
        assertEquals("tool", messages.get(2).path("role").asText());
        assertEquals("call_abc123", messages.get(2).path("tool_call_id").asText());
        assertEquals("18°C", messages.get(2).path("content").asText());
        assertEquals("get_weather", up.path("tools").get(0).path("function").path("name").asText());
    }

    /** {@code get_weather(city)}, the tool of the SDK tool round trips. */
    static FunctionDefinition weatherFunction() {
        return FunctionDefinition.builder().name("get_weather").description("Weather by city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }
}
