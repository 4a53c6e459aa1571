package io.canaryllm.gemini;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI and Anthropic SDK callers on gemini/* and vertex/* through fake Google upstreams. */
class GeminiThroughGatewayTest {
    private final TestGateway gw = TestGateway.get();
    private final OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1").apiKey(gw.apiKey).maxRetries(0).build();
    private final AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl).apiKey(gw.apiKey).maxRetries(0).build();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static FakeUpstream.Script answer(String text) {
        return a -> a.json(200, """
                {"candidates":[{"content":{"parts":[{"text":"%s"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":4,"totalTokenCount":12},
                 "modelVersion":"gemini-2.5-flash","responseId":"r1"}""".formatted(text));
    }

    @Test
    void openAiSdkOnGeminiWithAStreamedToolCallRoundTrip() {
        gw.fake.enqueue("gemini", a -> {
            a.startSse();
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me check.\"}],\"role\":\"model\"},\"index\":0}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":20,\"candidatesTokenCount\":3,\"totalTokenCount\":23}}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
                    + "\"thoughtSignature\":\"c2lnbmF0dXJl\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":20,\"candidatesTokenCount\":11,\"totalTokenCount\":31}}\r\n\r\n");
        }, answer("It is 18 degrees."));
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string", "format", "city-name"))))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build()).build();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("gemini/gemini-2.5-flash")
                .addSystemMessage("Be brief.").addUserMessage("Weather in Paris?").addFunctionTool(weather);
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (var stream = openai.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion first = acc.chatCompletion();
        var call = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"city\":\"Paris\"}", call.function().arguments());
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason(), "STOP with a call is tool use");

        FakeUpstream.Received up = gw.fake.received("gemini").get(0);
        assertEquals("/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent", up.path());
        assertEquals("alt=sse", up.query(), "a Gemini stream is SSE only with alt=sse");
        assertEquals(TestGateway.UPSTREAM_KEY, up.headers().get("x-goog-api-key"));
        assertEquals("Be brief.", up.json().path("systemInstruction").path("parts").get(0).path("text").asText());
        String schema = up.json().path("tools").get(0).path("functionDeclarations").get(0).path("parameters").toString();
        assertFalse(schema.contains("additionalProperties") || schema.contains("city-name"), "schema sanitised: " + schema);

        ChatCompletion second = openai.chat().completions().create(params.addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18").build()).build());
        assertEquals("It is 18 degrees.", second.choices().get(0).message().content().orElseThrow());
        FakeUpstream.assertGoogleCall(gw.fake.received("gemini").get(1), false);
        var contents = gw.fake.received("gemini").get(1).json().path("contents");
        var modelTurn = contents.get(1);
        assertEquals("model", modelTurn.path("role").asText());
        assertEquals("c2lnbmF0dXJl", modelTurn.path("parts").get(modelTurn.path("parts").size() - 1).path("thoughtSignature").asText(),
                "the thought signature is replayed");
        var response = contents.get(2).path("parts").get(0).path("functionResponse");
        assertEquals("get_weather", response.path("name").asText(), "Gemini needs the function name back");
    }

    @Test
    void anthropicSdkOnGeminiStreams() {
        gw.fake.enqueue("gemini", a -> {
            a.startSse();
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello \"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"there\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":7}}\r\n\r\n");
        });
        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(MessageCreateParams.builder().model("gemini/gemini-2.5-flash")
                .maxTokens(100).addUserMessage("hi").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertEquals("Hello there", acc.message().content().get(0).text().orElseThrow().text());
        assertEquals(2, acc.message().usage().outputTokens());
    }

    @Test
    void vertexUsesTheServiceAccountTokenAndTheProjectUrl() throws Exception {
        gw.fake.enqueue("oauth", GoogleToken.endpoint(gw));
        gw.fake.enqueue("vertex", answer("from Vertex"), answer("again"));
        for (int i = 0; i < 2; i++) {
            var r = gw.chat("{\"model\":\"vertex/gemini-2.5-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(200, r.statusCode(), r.body());
        }
        var up = gw.fake.received("vertex").get(0);
        assertEquals("/vertex/v1/projects/test-project/locations/global/publishers/google/models/gemini-2.5-pro:generateContent", up.path());
        assertEquals(null, up.query(), "a plain call has no alt=sse");
        assertEquals("Bearer " + GoogleToken.TOKEN, up.headers().get("authorization"));
        assertEquals(1, GoogleToken.ISSUED.get(), "one signed token request, then the cached token");
        gw.fake.received("oauth").forEach(r ->
                assertTrue(r.body().contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"), r.body()));
    }

    @Test
    void googleErrorsBecomeTheCallersErrors() throws Exception {
        gw.fake.enqueue("gemini", a -> a.json(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"reason\":\"API_KEY_INVALID\"}]}}"));
        var badKey = gw.chat("{\"model\":\"gemini/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, badKey.statusCode(), badKey.body());
        assertTrue(badKey.body().contains("API key not valid"));

        gw.fake.enqueue("gemini", a -> a.json(200, "{\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}]}"));
        var malformed = gw.post("/v1/messages", "{\"model\":\"gemini/gemini-2.5-flash\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", gw.apiKey);
        assertEquals(502, malformed.statusCode(), "never an empty success: " + malformed.body());
        assertEquals("api_error", TestGateway.json(malformed.body()).path("error").path("type").asText());
    }
}
