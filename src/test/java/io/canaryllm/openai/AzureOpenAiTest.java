package io.canaryllm.openai;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Azure OpenAI as configuration only (config/catalogue.yaml, provider {@code azure}): the official SDKs against the
 * gateway, the gateway against a fake Azure resource. Azure wants the deployment in the path, an {@code api-version}
 * query parameter (Responses its own) and the key in {@code api-key}; the bodies, streams and errors are OpenAI's.
 */
class AzureOpenAiTest {
    private static final String DEPLOYMENT = TestGateway.AZURE_DEPLOYMENT;
    private static final String CHAT_PATH = "/azure/openai/deployments/" + DEPLOYMENT + "/chat/completions";
    private final TestGateway gw = TestGateway.get();
    private final OpenAIClient openai = OpenAIOkHttpClient.builder()
            .baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();
    private final AnthropicClient anthropic = AnthropicOkHttpClient.builder()
            .baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    /** Azure's addressing and credentials, the same for every chat call whatever the caller's protocol. */
    private void assertAzureChatCall(FakeUpstream.Received up, String deployment) {
        assertEquals("/azure/openai/deployments/" + deployment + "/chat/completions", up.path());
        assertEquals("api-version=2024-10-21", up.query());
        assertEquals(TestGateway.AZURE_KEY, up.headers().get("api-key"), "the key goes in api-key");
        assertNull(up.headers().get("authorization"), "no Authorization header: Azure would take it for an Entra token");
        assertEquals(deployment, up.json().path("model").asText());
        assertFalse(up.body().contains(gw.apiKey), "the caller's key never goes upstream");
        assertFalse(up.headers().containsValue("Bearer " + gw.apiKey), "the caller's key never goes upstream");
    }

    @Test
    void chatPassesThroughToTheDeploymentWithApiVersionAndApiKey() throws Exception {
        String answer = """
                {"id":"chatcmpl-azure1","object":"chat.completion","created":1760704586,"model":"gpt-4.1-2025-04-14",
                 "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from Azure","refusal":null},"finish_reason":"stop",
                   "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],
                 "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""";
        gw.fake.enqueue("azure", a -> a.json(200, answer));
        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("azure/gpt-4.1").addSystemMessage("Be terse.").addUserMessage("Say hello").temperature(0.2)
                .putAdditionalBodyProperty("x_unknown_field", JsonValue.from(Map.of("kept", true)))
                .build());

        assertEquals("Hello from Azure", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(12, completion.usage().orElseThrow().totalTokens());
        FakeUpstream.Received up = gw.fake.received("azure").get(0);
        assertEquals(CHAT_PATH, up.path());
        assertAzureChatCall(up, DEPLOYMENT);
        assertEquals(0.2, up.json().path("temperature").asDouble());
        assertTrue(up.json().path("x_unknown_field").path("kept").asBoolean(), "passthrough: unknown fields survive");

        // the answer comes back as Azure wrote it (its content-filter fields included), byte for byte
        gw.fake.enqueue("azure", a -> a.json(200, answer));
        var raw = gw.chat("{\"model\":\"azure/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, raw.statusCode());
        assertEquals(answer, raw.body());
        assertEquals("azure/gpt-4.1", raw.headers().firstValue("x-canaryllm-model").orElseThrow());
    }

    @Test
    void streamWithIncludeUsageRelaysEveryFrame() throws Exception {
        // Azure opens a stream with a chunk that has no choices (its prompt filter results) and an empty model
        String filter = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
                + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";
        List<String> frames = List.of(filter,
                chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("gpt-4.1", "{\"content\":\"Hello\"}", null),
                chunk("gpt-4.1", "{\"content\":\" from Azure!\"}", null),
                chunk("gpt-4.1", "{}", "stop"),
                usageChunk("gpt-4.1", 9, 4));
        FakeUpstream.Script stream = a -> {
            a.startSse();
            for (String f : frames) a.data(f);
            a.data("[DONE]");
        };
        gw.fake.enqueue("azure", stream);
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("azure/gpt-4.1").addUserMessage("hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(c -> {
                chunks.add(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertEquals("Hello from Azure!", text.toString());
        assertEquals(frames.size(), chunks.size(), "every frame relayed");
        assertEquals(13, chunks.get(chunks.size() - 1).usage().orElseThrow().totalTokens());
        FakeUpstream.Received up = gw.fake.received("azure").get(0);
        assertAzureChatCall(up, DEPLOYMENT);
        assertEquals("text/event-stream", up.headers().get("accept"));
        assertTrue(up.json().path("stream").asBoolean());
        assertTrue(up.json().path("stream_options").path("include_usage").asBoolean());

        // frame for frame as Azure sent them
        gw.fake.enqueue("azure", stream);
        var raw = gw.chat("{\"model\":\"azure/gpt-4.1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        StringBuilder expected = new StringBuilder();
        for (String f : frames) expected.append("data: ").append(f).append("\n\n");
        expected.append("data: [DONE]\n\n");
        assertEquals(expected.toString(), raw.body());
    }

    @Test
    void toolCallRoundTrip() {
        gw.fake.enqueue("azure", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":null}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"id\":\"call_az1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}", null));
            a.data(chunk("gpt-4.1", "{}", "tool_calls"));
            a.data("[DONE]");
        }, FakeUpstream.completion("gpt-4.1", "It is 4 degrees in Oslo."));
        FunctionDefinition weather = OpenAiSdkTest.weatherFunction();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("azure/gpt-4.1").addUserMessage("Weather in Oslo?").addFunctionTool(weather);

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion first = acc.chatCompletion();
        ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertEquals("call_az1", call.asFunction().id());
        assertEquals("{\"city\":\"Oslo\"}", call.asFunction().function().arguments());

        ChatCompletion second = openai.chat().completions().create(params
                .addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_az1").content("4°C").build())
                .build());
        assertEquals("It is 4 degrees in Oslo.", second.choices().get(0).message().content().orElseThrow());

        FakeUpstream.Received up = gw.fake.received("azure").get(1);
        assertAzureChatCall(up, DEPLOYMENT);
        var messages = up.json().path("messages");
        assertEquals("call_az1", messages.get(1).path("tool_calls").get(0).path("id").asText());
        assertEquals("tool", messages.get(2).path("role").asText());
        assertEquals("call_az1", messages.get(2).path("tool_call_id").asText());
        assertEquals("get_weather", up.json().path("tools").get(0).path("function").path("name").asText());
    }

    @Test
    void responsesPassThroughToAzuresResponsesPathWithItsOwnApiVersion() {
        gw.fake.enqueue("azure", a -> a.json(200, """
                {"id":"resp_az1","object":"response","created_at":1760000000,"status":"completed","model":"gpt-4.1",
                 "output":[{"id":"msg_1","type":"message","status":"completed","role":"assistant",
                            "content":[{"type":"output_text","text":"Hello from Azure Responses","annotations":[]}]}],
                 "parallel_tool_calls":true,"tool_choice":"auto","tools":[],"temperature":1.0,"top_p":1.0,
                 "error":null,"incomplete_details":null,"instructions":null,"metadata":{},
                 "usage":{"input_tokens":11,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,
                          "output_tokens_details":{"reasoning_tokens":0},"total_tokens":16}}"""));
        Response r = openai.responses().create(ResponseCreateParams.builder().model("azure/gpt-4.1").input("hi")
                .putAdditionalBodyProperty("prompt_cache_key", JsonValue.from("codex-az")).build());
        assertEquals("Hello from Azure Responses",
                r.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        assertEquals(16, r.usage().orElseThrow().totalTokens());

        FakeUpstream.Received up = gw.fake.received("azure").get(0);
        assertEquals("/azure/openai/responses", up.path());
        assertEquals("api-version=2025-04-01-preview", up.query(), "the path's own api-version, not the chat one");
        assertEquals(TestGateway.AZURE_KEY, up.headers().get("api-key"));
        assertNull(up.headers().get("authorization"));
        assertEquals(DEPLOYMENT, up.json().path("model").asText(), "Azure's Responses API names the deployment in the body");
        assertEquals("codex-az", up.json().path("prompt_cache_key").asText(), "passthrough keeps every field");
        assertEquals("hi", up.json().path("input").asText());
    }

    @Test
    void anthropicSdkReachesAzureThroughTheChatWireTranslation() {
        gw.fake.enqueue("azure", FakeUpstream.completion("gpt-4.1", "Hello from Azure via Messages"));
        Message plain = anthropic.messages().create(MessageCreateParams.builder().model("azure/gpt-4.1").maxTokens(100)
                .system("Be terse.").addUserMessage("Say hello").build());
        assertEquals("Hello from Azure via Messages", plain.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, plain.stopReason().orElseThrow());
        FakeUpstream.Received up = gw.fake.received("azure").get(0);
        assertAzureChatCall(up, DEPLOYMENT);
        assertNull(up.headers().get("x-api-key"), "OpenAI wire upstream: no Anthropic headers");
        assertEquals("system", up.json().path("messages").get(0).path("role").asText());
        assertEquals("Be terse.", up.json().path("messages").get(0).path("content").asText());

        // streamed, with Azure's choice-less first chunk in front
        gw.fake.enqueue("azure", a -> {
            a.startSse();
            a.data("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[]}");
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\"Streamed \"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\"from Azure\"}", null));
            a.data(chunk("gpt-4.1", "{}", "stop"));
            a.data(usageChunk("gpt-4.1", 20, 7));
            a.data("[DONE]");
        });
        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(MessageCreateParams.builder().model("azure/gpt-4.1")
                .maxTokens(100).addUserMessage("Stream it").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message streamed = acc.message();
        assertEquals("Streamed from Azure", streamed.content().get(0).text().orElseThrow().text());
        assertEquals(7, streamed.usage().outputTokens());
        FakeUpstream.Received up2 = gw.fake.received("azure").get(1);
        assertAzureChatCall(up2, DEPLOYMENT);
        assertTrue(up2.json().path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void anyDeploymentIsReachableUnpriced() throws Exception {
        gw.fake.enqueue("azure", FakeUpstream.completion("gpt-4o-mini", "ok"));
        ChatCompletion c = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("azure/my-4o-mini").addUserMessage("hi").build());
        assertEquals("ok", c.choices().get(0).message().content().orElseThrow());
        assertAzureChatCall(gw.fake.received("azure").get(0), "my-4o-mini");
    }

    @Test
    void azureErrorsPassThroughAsOpenAiErrors() {
        gw.fake.enqueue("azure", a -> a.json(400, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                 "type":null,"param":"prompt","code":"content_filter","status":400}}"""));
        BadRequestException e = assertThrows(BadRequestException.class, () -> openai.chat().completions().create(
                ChatCompletionCreateParams.builder().model("azure/gpt-4.1").addUserMessage("hi").build()));
        assertEquals(400, e.statusCode());
        assertEquals("content_filter", e.code().orElseThrow());
        assertTrue(e.getMessage().contains("content management policy"), e.getMessage());
    }
}
