package io.canaryllm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every client protocol × {gemini, vertex} × {plain, stream, tool round trip}, against fake Google upstreams. The
 * fake OAuth endpoint verifies each JWT's RS256 signature with the service account's public key and counts token
 * requests: one for the whole run (one expiry window), whatever the concurrency.
 */
class GoogleMatrixTest {
    private final TestGateway gw = TestGateway.get();

    private static final String PLAIN = """
            {"candidates":[{"content":{"parts":[{"text":"plain answer"}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9}}""";
    private static final String STREAM = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"streamed \"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"answer\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":2,\"totalTokenCount\":9}}\r\n\r\n";
    private static final String TOOL_CALL = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}],"
            + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":5,\"totalTokenCount\":14}}\r\n\r\n";

    @ParameterizedTest(name = "{0} client on {1}")
    @CsvSource({"openai, gemini/gemini-2.5-flash, gemini", "openai, vertex/gemini-2.5-pro, vertex",
            "anthropic, gemini/gemini-2.5-flash, gemini", "anthropic, vertex/gemini-2.5-pro, vertex",
            "responses, gemini/gemini-2.5-flash, gemini", "responses, vertex/gemini-2.5-pro, vertex"})
    void plainStreamAndToolRoundTrip(String client, String model, String provider) throws Exception {
        if (client.equals("responses")) {
            responsesClient(model, provider);
            return;
        }
        boolean anthropic = client.equals("anthropic");
        gw.fake.reset();
        gw.fake.enqueue("oauth", GoogleToken.endpoint(gw), GoogleToken.endpoint(gw));
        gw.fake.enqueue(provider, a -> a.json(200, PLAIN), a -> { a.startSse(); a.raw(STREAM); },
                a -> { a.startSse(); a.raw(TOOL_CALL); }, a -> a.json(200, PLAIN));

        // plain
        var plain = call(anthropic, "{\"model\":\"" + model + "\"," + (anthropic ? "\"max_tokens\":50," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("plain answer"), plain.body());

        // stream
        var stream = call(anthropic, "{\"model\":\"" + model + "\",\"stream\":true," + (anthropic ? "\"max_tokens\":50," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, stream.statusCode());
        assertTrue(stream.body().contains("streamed ") && stream.body().contains("answer"), stream.body());
        assertTrue(anthropic ? stream.body().contains("event: message_stop") : stream.body().contains("data: [DONE]"), stream.body());

        // tool round trip: a streamed call, then its result sent back
        String tools = anthropic
                ? "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]"
                : "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        var toolStream = call(anthropic, "{\"model\":\"" + model + "\",\"stream\":true," + (anthropic ? "\"max_tokens\":50," : "") + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}]}");
        assertEquals(200, toolStream.statusCode());
        String id = toolCallId(anthropic, toolStream.body());
        String history = anthropic
                ? "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}]},"
                  + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"-3\"}]}"
                : "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                  + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"-3\"}";
        var result = call(anthropic, "{\"model\":\"" + model + "\"," + (anthropic ? "\"max_tokens\":50," : "") + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}," + history + "]}");
        assertEquals(200, result.statusCode(), result.body());
        JsonNode sent = gw.fake.received(provider).get(3).json().path("contents");
        JsonNode response = sent.get(2).path("parts").get(0).path("functionResponse");
        assertEquals("get_weather", response.path("name").asText(), sent.toString());
        assertGoogleCalls(provider);

        if (provider.equals("vertex")) {
            assertEquals(1, GoogleToken.ISSUED.get(), "one token per expiry window, checked signature and all");
        }
    }

    /** The same three calls from an OpenAI Responses caller (Codex's wire). */
    private void responsesClient(String model, String provider) throws Exception {
        gw.fake.reset();
        gw.fake.enqueue("oauth", GoogleToken.endpoint(gw), GoogleToken.endpoint(gw));
        gw.fake.enqueue(provider, a -> a.json(200, PLAIN), a -> { a.startSse(); a.raw(STREAM); },
                a -> { a.startSse(); a.raw(TOOL_CALL); }, a -> a.json(200, PLAIN));
        String auth = "Bearer " + gw.apiKey;
        var plain = gw.post("/v1/responses", "{\"model\":\"" + model + "\",\"input\":\"hi\"}", "Authorization", auth);
        assertEquals(200, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("plain answer") && plain.body().contains("\"object\":\"response\""), plain.body());

        var stream = gw.post("/v1/responses", "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}", "Authorization", auth);
        assertTrue(stream.body().contains("event: response.output_text.delta") && stream.body().contains("event: response.completed"), stream.body());

        String tools = "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"strict\":false,\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
        var toolStream = gw.post("/v1/responses", "{\"model\":\"" + model + "\",\"stream\":true," + tools + ",\"input\":\"Weather in Oslo?\"}",
                "Authorization", auth);
        String callId = null;
        for (String line : toolStream.body().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode e = TestGateway.json(line.substring(6));
            if ("response.output_item.done".equals(e.path("type").asText()) && "function_call".equals(e.path("item").path("type").asText())) {
                callId = e.path("item").path("call_id").asText();
            }
        }
        assertTrue(callId != null, toolStream.body());
        var result = gw.post("/v1/responses", "{\"model\":\"" + model + "\"," + tools + ",\"input\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"" + callId + "\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"-3\"}]}", "Authorization", auth);
        assertEquals(200, result.statusCode(), result.body());
        JsonNode sent = gw.fake.received(provider).get(3).json().path("contents");
        assertEquals("get_weather", sent.get(2).path("parts").get(0).path("functionResponse").path("name").asText(), sent.toString());
        assertGoogleCalls(provider);
    }

    /** The four calls were plain, stream, stream, plain: {@code :generateContent}, then {@code :streamGenerateContent?alt=sse}. */
    private void assertGoogleCalls(String provider) {
        var calls = gw.fake.received(provider);
        assertEquals(4, calls.size());
        FakeUpstream.assertGoogleCall(calls.get(0), false);
        FakeUpstream.assertGoogleCall(calls.get(1), true);
        FakeUpstream.assertGoogleCall(calls.get(2), true);
        FakeUpstream.assertGoogleCall(calls.get(3), false);
    }

    private java.net.http.HttpResponse<String> call(boolean anthropic, String body) throws Exception {
        return anthropic ? gw.post("/v1/messages", body, "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01") : gw.chat(body);
    }

    private static String toolCallId(boolean anthropic, String sse) throws Exception {
        for (String line : sse.split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode e = TestGateway.json(line.substring(6));
            if (anthropic && "tool_use".equals(e.path("content_block").path("type").asText())) return e.path("content_block").path("id").asText();
            JsonNode calls = e.path("choices").path(0).path("delta").path("tool_calls");
            if (!anthropic && calls.isArray() && calls.get(0).has("id")) return calls.get(0).path("id").asText();
        }
        throw new AssertionError("no tool call in " + sse);
    }
}
