package io.canaryllm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official Anthropic Java SDK against the gateway; anthropic/* is a byte passthrough to a fake Anthropic upstream. */
class AnthropicSdkTest {
    private static final String MODEL = "anthropic/claude-sonnet-4-5";
    private final TestGateway gw = TestGateway.get();
    private final AnthropicClient client = AnthropicOkHttpClient.builder()
            .baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    static FakeUpstream.Script message(String text) { return FakeUpstream.anthropicMessage(text); }

    @Test
    void nonStreamingPassesThroughWithOnlyTheModelRewritten() {
        gw.fake.enqueue("anthropic", message("Hello from Claude"));
        Message m = client.messages().create(MessageCreateParams.builder()
                .model(MODEL).maxTokens(100).system("Be terse.").addUserMessage("Say hello")
                .putAdditionalBodyProperty("context_management", JsonValue.from(Map.of("edits", List.of())))
                .build());
        assertEquals("Hello from Claude", m.content().get(0).text().orElseThrow().text());
        assertEquals(6, m.usage().outputTokens());

        FakeUpstream.Received up = gw.fake.received("anthropic").get(0);
        assertEquals("/anthropic/v1/messages", up.path());
        assertEquals("claude-sonnet-4-5", up.json().path("model").asText());
        assertEquals("Be terse.", up.json().path("system").asText());
        assertTrue(up.json().has("context_management"), "fields the gateway does not know survive");
        assertEquals(TestGateway.UPSTREAM_KEY, up.headers().get("x-api-key"));
        assertTrue(up.headers().get("anthropic-version").matches("\\d{4}-\\d{2}-\\d{2}"), "the SDK's anthropic-version is forwarded");
        assertFalse(up.headers().containsKey("authorization"), "the caller's credentials never go upstream");
    }

    @Test
    void streamToolRoundTripRelaysEveryEventUnchanged() {
        gw.fake.enqueue("anthropic", a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}");
            a.event("ping", "{\"type\": \"ping\"}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Need the weather.\"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3h\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1         }");
            a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}");
            a.event("message_stop", "{\"type\":\"message_stop\"}");
        }, message("18 degrees in Paris."));

        MessageCreateParams.Builder params = MessageCreateParams.builder().model(MODEL).maxTokens(1024)
                .addTool(Tool.builder().name("get_weather").description("Weather by city")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .required(List.of("city")).build())
                        .build())
                .addUserMessage("Weather in Paris?");
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message first = acc.message();
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", first.content().get(0).thinking().orElseThrow().signature());
        ToolUseBlock use = first.content().get(1).toolUse().orElseThrow();
        assertEquals("toolu_01A", use.id());
        assertEquals("Paris", use._input().convert(Map.class).get("city"));
        assertEquals(40, first.usage().outputTokens());

        Message second = client.messages().create(params
                .addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId("toolu_01A").content("18°C").build())))
                .build());
        assertEquals("18 degrees in Paris.", second.content().get(0).text().orElseThrow().text());
        var messages = gw.fake.received("anthropic").get(1).json().path("messages");
        assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", messages.get(1).path("content").get(0).path("signature").asText(),
                "thinking signatures go back upstream intact");
        assertEquals("tool_result", messages.get(2).path("content").get(0).path("type").asText());
        assertEquals("toolu_01A", messages.get(2).path("content").get(0).path("tool_use_id").asText());
    }

    @Test
    void countTokensIsExactForAnthropicAndEstimatedElsewhere() throws Exception {
        gw.fake.enqueue("anthropic", a -> a.json(200, "{\"input_tokens\":42}"));
        long exact = client.messages().countTokens(MessageCountTokensParams.builder().model(MODEL).addUserMessage("hi").build()).inputTokens();
        assertEquals(42, exact);
        assertEquals("/anthropic/v1/messages/count_tokens", gw.fake.received("anthropic").get(0).path());

        var estimated = gw.post("/v1/messages/count_tokens?beta=true",
                "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(40) + "\"}]}",
                "x-api-key", gw.apiKey);
        assertEquals(200, estimated.statusCode(), estimated.body());
        assertEquals("estimated", estimated.headers().firstValue("x-canaryllm-token-count").orElse(""));
        long n = TestGateway.json(estimated.body()).path("input_tokens").asLong();
        assertTrue(n > 40 && n < 100, "about one token per four characters: " + n);
    }

    @Test
    void mockEchoAnswersInAnthropicShapeStreamedAndNot() {
        Message plain = client.messages().create(MessageCreateParams.builder().model("mock/echo").maxTokens(50)
                .addUserMessage("echo this back").build());
        assertEquals("echo this back", plain.content().get(0).text().orElseThrow().text());
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
                .model("mock/echo").maxTokens(50).addUserMessage("stream this back").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertEquals("stream this back", acc.message().content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, acc.message().stopReason().orElseThrow());
    }

    @Test
    void errorsAreAnthropicErrorObjects() throws Exception {
        var missing = gw.post("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, missing.statusCode());
        var body = TestGateway.json(missing.body());
        assertEquals("error", body.path("type").asText());
        assertEquals("authentication_error", body.path("error").path("type").asText());

        AnthropicServiceException notFound = assertThrows(AnthropicServiceException.class, () -> client.messages().create(
                MessageCreateParams.builder().model("anthropic/claude-none").maxTokens(5).addUserMessage("hi").build()));
        assertEquals(404, notFound.statusCode());

        var bad = gw.post("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":\"lots\",\"messages\":[]}", "x-api-key", gw.apiKey);
        assertEquals(400, bad.statusCode());
        assertEquals("invalid_request_error", TestGateway.json(bad.body()).path("error").path("type").asText());

        gw.fake.enqueue("anthropic", a -> a.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        var overloaded = gw.post("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", gw.apiKey);
        assertEquals(502, overloaded.statusCode());
        assertTrue(TestGateway.json(overloaded.body()).path("error").path("message").asText().contains("Overloaded"));
    }

    @Test
    void brokenStreamEndsWithAnAnthropicErrorEvent() throws Exception {
        gw.fake.enqueue("anthropic", a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
            a.reset();
        });
        var r = gw.post("/v1/messages", "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", gw.apiKey);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""), r.body());
        assertFalse(r.body().contains("message_stop"));
    }

    @Test
    void claudeCodeRequestShapeIsForwardedByteForByteExceptTheModel() throws Exception {
        String body = Files.readString(Path.of("src/test/resources/fixtures/clients/claude-code-tool-bash.shape.json"));
        String model = TestGateway.json(body).path("model").asText();
        String ours = body.replace("\"" + model + "\"", "\"" + MODEL + "\"");
        gw.fake.enqueue("anthropic", message("ok"));
        var r = gw.post("/v1/messages?beta=true", ours.replace("\"stream\": true", "\"stream\": false"),
                "Authorization", "Bearer " + gw.apiKey, "anthropic-version", "2023-06-01",
                "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14");
        assertEquals(200, r.statusCode(), r.body());
        FakeUpstream.Received up = gw.fake.received("anthropic").get(0);
        assertEquals(ours.replace("\"stream\": true", "\"stream\": false").replace("\"" + MODEL + "\"", "\"claude-sonnet-4-5\""), up.body());
        assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", up.headers().get("anthropic-beta"));
    }
}
