package io.canaryllm.responses;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** openai-java's Responses API against the gateway: OpenAI passes through; Anthropic, Gemini and the mock are translated. */
class ResponsesSdkTest {
    private final TestGateway gw = TestGateway.get();
    private final OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static final String RESPONSE = """
            {"id":"resp_abc","object":"response","created_at":1760000000,"status":"completed","model":"gpt-5",
             "output":[{"id":"msg_1","type":"message","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","text":"Hello from Responses","annotations":[]}]}],
             "parallel_tool_calls":true,"tool_choice":"auto","tools":[],"temperature":1.0,"top_p":1.0,
             "error":null,"incomplete_details":null,"instructions":null,"metadata":{},
             "usage":{"input_tokens":11,"input_tokens_details":{"cached_tokens":0},"output_tokens":4,
                      "output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}}""";

    private static FunctionTool weather() {
        return FunctionTool.builder().name("get_weather").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    @Test
    void openAiPassesThroughTheResponsesWire() throws Exception {
        gw.fake.enqueue("openai", a -> a.json(200, RESPONSE));
        Response r = client.responses().create(ResponseCreateParams.builder().model("openai/gpt-5").input("hi")
                .putAdditionalBodyProperty("prompt_cache_key", JsonValue.from("codex-123")).build());
        assertEquals("Hello from Responses", r.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        FakeUpstream.Received up = gw.fake.received("openai").get(0);
        assertEquals("/openai/v1/responses", up.path());
        assertEquals("gpt-5", up.json().path("model").asText());
        assertEquals("codex-123", up.json().path("prompt_cache_key").asText(), "passthrough keeps every field");

        String sse = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"x\"}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";
        gw.fake.enqueue("openai", a -> { a.startSse(); a.raw(sse); });
        var streamed = gw.post("/v1/responses", "{\"model\":\"openai/gpt-5\",\"stream\":true,\"input\":\"hi\"}", "Authorization", "Bearer " + gw.apiKey);
        assertEquals(200, streamed.statusCode());
        assertEquals(sse, streamed.body(), "the upstream's bytes, unchanged");
    }

    /** An upstream Responses stream as OpenAI writes it, made with the gateway's own (golden-tested) encoder. */
    private static String openAiFunctionCallStream() {
        var decoded = io.canaryllm.wire.openai.responses.ResponsesRequests.decode(TestGateway.jsonUnchecked(
                "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"Weather in Paris?\"}"));
        var encoder = new io.canaryllm.wire.openai.responses.ResponsesStreamEncoder("gpt-5", decoded);
        StringBuilder out = new StringBuilder();
        var usage = new io.canaryllm.canonical.Usage(30, 8, 0, 0, 0);
        for (var e : List.<io.canaryllm.canonical.StreamEvent>of(
                new io.canaryllm.canonical.StreamEvent.MessageStart("resp_up", "gpt-5", usage),
                new io.canaryllm.canonical.StreamEvent.PartStart(0, io.canaryllm.canonical.StreamEvent.PartKind.TOOL_CALL, "call_up1", "get_weather"),
                new io.canaryllm.canonical.StreamEvent.ToolArgsDelta(0, "{\"city\":"),
                new io.canaryllm.canonical.StreamEvent.ToolArgsDelta(0, "\"Paris\"}"),
                new io.canaryllm.canonical.StreamEvent.PartStop(0),
                new io.canaryllm.canonical.StreamEvent.MessageStop(io.canaryllm.canonical.StopReason.TOOL_USE, usage))) {
            encoder.encode(e, out);
        }
        return out.toString();
    }

    @Test
    void openAiPassthroughFunctionCallRoundTripStreamedAndNot() {
        gw.fake.enqueue("openai", a -> { a.startSse(); a.raw(openAiFunctionCallStream()); }, a -> a.json(200, RESPONSE));
        ResponseCreateParams.Builder params = ResponseCreateParams.builder().model("openai/gpt-5").addTool(weather()).input("Weather in Paris?");
        ResponseAccumulator acc = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ResponseFunctionToolCall call = acc.response().output().stream().map(ResponseOutputItem::functionCall)
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get).findFirst().orElseThrow();
        assertEquals("call_up1", call.callId());
        assertEquals("{\"city\":\"Paris\"}", call.arguments());

        Response second = client.responses().create(ResponseCreateParams.builder().model("openai/gpt-5").addTool(weather())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCall(call),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId("call_up1").output("18").build())))
                .build());
        assertEquals("Hello from Responses", second.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        var sent = gw.fake.received("openai").get(1).json();
        assertEquals("/openai/v1/responses", gw.fake.received("openai").get(1).path());
        assertEquals("function_call_output", sent.path("input").get(1).path("type").asText(), "the items go up as the client wrote them");
    }

    @Test
    void geminiIsTranslatedPlainAndThroughAStreamedFunctionCallRoundTrip() {
        gw.fake.enqueue("gemini",
                a -> a.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"plain Gemini\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5}}"),
                a -> { a.startSse(); a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}],"
                        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":5,\"totalTokenCount\":14}}\r\n\r\n"); },
                a -> a.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"18 in Paris\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}"));
        Response plain = client.responses().create(ResponseCreateParams.builder().model("gemini/gemini-2.5-flash").input("hi").build());
        assertEquals("plain Gemini", plain.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());

        ResponseCreateParams.Builder params = ResponseCreateParams.builder().model("gemini/gemini-2.5-flash").addTool(weather()).input("Weather in Paris?");
        ResponseAccumulator acc = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ResponseFunctionToolCall call = acc.response().output().stream().map(ResponseOutputItem::functionCall)
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get).findFirst().orElseThrow();
        assertEquals("get_weather", call.name());
        Response second = client.responses().create(ResponseCreateParams.builder().model("gemini/gemini-2.5-flash").addTool(weather())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCall(call),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("18").build())))
                .build());
        assertEquals("18 in Paris", second.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        assertEquals("get_weather", gw.fake.received("gemini").get(2).json().path("contents").get(1).path("parts").get(0)
                .path("functionResponse").path("name").asText());
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(0), false);
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(1), true);
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(2), false);
    }

    @Test
    void anthropicIsTranslatedPlainStreamedAndThroughAFunctionCallRoundTrip() {
        gw.fake.enqueue("anthropic", FakeUpstream.anthropicMessage("Hello from Claude"));
        Response plain = client.responses().create(ResponseCreateParams.builder().model("anthropic/claude-sonnet-4-5")
                .instructions("Be terse.").input("Say hello").build());
        assertEquals("Hello from Claude", plain.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        assertEquals("Be terse.", gw.fake.received("anthropic").get(0).json().path("system").isTextual()
                ? gw.fake.received("anthropic").get(0).json().path("system").asText()
                : gw.fake.received("anthropic").get(0).json().path("system").get(0).path("text").asText());

        gw.fake.enqueue("anthropic", a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}");
            a.event("message_stop", "{\"type\":\"message_stop\"}");
        }, FakeUpstream.anthropicMessage("18 degrees."));
        ResponseCreateParams.Builder params = ResponseCreateParams.builder().model("anthropic/claude-sonnet-4-5")
                .addTool(weather()).input("Weather in Paris?");
        ResponseAccumulator acc = ResponseAccumulator.create();
        try (var stream = client.responses().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Response first = acc.response();
        ResponseFunctionToolCall call = first.output().stream().map(ResponseOutputItem::functionCall)
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get).findFirst().orElseThrow();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Paris\"}", call.arguments());
        assertEquals(9, first.usage().orElseThrow().outputTokens());

        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Paris?").build()));
        input.add(ResponseInputItem.ofFunctionCall(call));
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("18").build()));
        Response second = client.responses().create(ResponseCreateParams.builder().model("anthropic/claude-sonnet-4-5")
                .addTool(weather()).inputOfResponse(input).build());
        assertEquals("18 degrees.", second.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());
        var messages = gw.fake.received("anthropic").get(2).json().path("messages");
        assertEquals("tool_use", messages.get(1).path("content").get(0).path("type").asText());
        assertEquals("tool_result", messages.get(2).path("content").get(0).path("type").asText());
        assertEquals(messages.get(1).path("content").get(0).path("id").asText(), messages.get(2).path("content").get(0).path("tool_use_id").asText());
    }

    @Test
    void geminiAndTheMockStreamTheCanonicalEventSequence() {
        gw.fake.enqueue("gemini", a -> {
            a.startSse();
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"From \"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Gemini\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":2,\"totalTokenCount\":6}}\r\n\r\n");
        });
        for (String model : new String[] {"gemini/gemini-2.5-flash", "mock/echo"}) {
            ResponseAccumulator acc = ResponseAccumulator.create();
            List<String> types = new ArrayList<>();
            try (var stream = client.responses().createStreaming(ResponseCreateParams.builder().model(model).input("From Gemini").build())) {
                stream.stream().forEach(e -> {
                    acc.accumulate(e);
                    types.add(e._json().map(j -> j.toString()).orElse(e.toString()));
                });
            }
            Response r = acc.response();
            assertEquals("From Gemini", r.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text(), model);
            assertTrue(r.usage().isPresent(), model);
        }
    }

    @Test
    void errorsAreOpenAiErrorObjects() throws Exception {
        var missing = gw.post("/v1/responses", "{\"model\":\"openai/gpt-5\"}", "Authorization", "Bearer " + gw.apiKey);
        assertEquals(400, missing.statusCode());
        assertEquals("input", TestGateway.json(missing.body()).path("error").path("param").asText());
        var unknown = gw.post("/v1/responses", "{\"model\":\"nope/x\",\"input\":\"hi\"}", "Authorization", "Bearer " + gw.apiKey);
        assertEquals(404, unknown.statusCode());
        assertFalse(gw.post("/v1/responses", "{\"model\":\"openai/gpt-5\",\"input\":\"hi\"}").statusCode() == 200);
    }
}
