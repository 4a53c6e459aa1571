package io.canaryllm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeBedrock;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.canaryllm.testing.FakeBedrock.blockStop;
import static io.canaryllm.testing.FakeBedrock.messageStart;
import static io.canaryllm.testing.FakeBedrock.textDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock's failures in the caller's protocol: HTTP errors ({@code {"message"}} with {@code x-amzn-ErrorType}) with the
 * right status, a refused signature, and mid-stream failures (an exception frame, a frame whose CRC fails, a stream
 * cut short) as one error frame that ends the stream; never a hang, never a stack trace.
 */
class BedrockErrorsTest {
    private static final String CHAT = "{\"model\":\"bedrock/anthropic.claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHAT_STREAM = "{\"model\":\"bedrock/anthropic.claude-sonnet-4-5\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES_STREAM = "{\"model\":\"bedrock/meta.llama3-3-70b-instruct\",\"max_tokens\":50,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private HttpResponse<String> messages(String body) throws Exception {
        return gw.post("/v1/messages", body, "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01");
    }

    private static void noStackTrace(String body) {
        assertFalse(body.contains("\tat ") || body.contains("at io.canaryllm") || body.contains("Exception:"), body);
    }

    @Test
    void throttlingIsA429InEachProtocol() throws Exception {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(429, "ThrottlingException", "Too many requests, please wait before trying again."),
                FakeBedrock.error(429, "ThrottlingException", "Too many requests, please wait before trying again."));
        HttpResponse<String> chat = gw.chat(CHAT);
        assertEquals(429, chat.statusCode(), chat.body());
        JsonNode error = TestGateway.json(chat.body()).path("error");
        assertEquals("rate_limit_error", error.path("type").asText());
        assertTrue(error.path("message").asText().contains("Too many requests"), chat.body());

        HttpResponse<String> anth = messages(MESSAGES_STREAM.replace(",\"stream\":true", ""));
        assertEquals(429, anth.statusCode(), anth.body());
        assertEquals("rate_limit_error", TestGateway.json(anth.body()).path("error").path("type").asText());
        noStackTrace(chat.body() + anth.body());
    }

    @Test
    void validationIsA400WithBedrocksMessage() throws Exception {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(400, "ValidationException",
                "The model returned the following errors: messages: text content blocks must be non-empty"));
        HttpResponse<String> r = gw.chat(CHAT);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = TestGateway.json(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(error.path("message").asText().contains("text content blocks must be non-empty"), r.body());

        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(400, "ValidationException", "The provided model identifier is invalid."));
        HttpResponse<String> anth = messages(MESSAGES_STREAM.replace(",\"stream\":true", ""));
        assertEquals(400, anth.statusCode(), anth.body());
        JsonNode a = TestGateway.json(anth.body());
        assertEquals("error", a.path("type").asText());
        assertEquals("invalid_request_error", a.path("error").path("type").asText());
        assertTrue(a.path("error").path("message").asText().contains("model identifier is invalid"), anth.body());
    }

    @Test
    void aRefusedSignatureIsA403AndServerErrorsA502() throws Exception {
        String secret = System.getProperty("AWS_SECRET_ACCESS_KEY");
        System.setProperty("AWS_SECRET_ACCESS_KEY", "not-the-secret"); // read at each call
        try {
            gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.text("never sent"));
            HttpResponse<String> r = gw.chat(CHAT);
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("signature"), r.body());
        } finally {
            System.setProperty("AWS_SECRET_ACCESS_KEY", secret);
        }
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(403, "AccessDeniedException",
                "You don't have access to the model with the specified model ID."));
        HttpResponse<String> denied = messages(MESSAGES_STREAM.replace(",\"stream\":true", ""));
        assertEquals(403, denied.statusCode(), denied.body());
        assertEquals("permission_error", TestGateway.json(denied.body()).path("error").path("type").asText());

        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(503, "ServiceUnavailableException", "Service is busy."));
        HttpResponse<String> busy = gw.chat(CHAT);
        assertEquals(502, busy.statusCode(), busy.body());
        assertTrue(busy.body().contains("Service is busy."), busy.body());
        noStackTrace(denied.body() + busy.body());
    }

    @Test
    void anExceptionFrameMidStreamEndsTheStreamWithAnError() throws Exception {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Hello"),
                FakeBedrock.exception("modelStreamErrorException", "The model stream failed mid-way.")));
        HttpResponse<String> chat = gw.chat(CHAT_STREAM);
        assertEquals(200, chat.statusCode());
        assertTrue(chat.body().contains("Hello"), chat.body());
        assertTrue(chat.body().contains("\"error\"") && chat.body().contains("The model stream failed mid-way."), chat.body());
        assertFalse(chat.body().contains("[DONE]"), "a broken stream never ends like a complete one: " + chat.body());

        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Hi"),
                FakeBedrock.exception("throttlingException", "Too many tokens, please wait.")));
        HttpResponse<String> anth = messages(MESSAGES_STREAM);
        assertEquals(200, anth.statusCode());
        assertTrue(anth.body().contains("event: error"), anth.body());
        assertTrue(anth.body().contains("rate_limit_error") && anth.body().contains("Too many tokens"), anth.body());
        assertFalse(anth.body().contains("message_stop"), anth.body());
        noStackTrace(chat.body() + anth.body());
    }

    @Test
    void aFrameWithABadCrcEndsTheStreamWithAnError() throws Exception {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Good "),
                FakeBedrock.corrupted(textDelta(0, "garbled")), textDelta(0, "never seen"), blockStop(0)));
        HttpResponse<String> chat = gw.chat(CHAT_STREAM);
        assertEquals(200, chat.statusCode());
        assertTrue(chat.body().contains("Good "), chat.body());
        assertFalse(chat.body().contains("garbled") || chat.body().contains("never seen"), chat.body());
        assertTrue(chat.body().contains("\"error\"") && chat.body().contains("corrupted"), chat.body());
        assertFalse(chat.body().contains("[DONE]"), chat.body());

        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Good "),
                FakeBedrock.corrupted(textDelta(0, "garbled"))));
        HttpResponse<String> responses = gw.post("/v1/responses", "{\"model\":\"bedrock/amazon.nova-lite\",\"stream\":true,\"input\":\"hi\"}",
                "Authorization", "Bearer " + gw.apiKey);
        assertEquals(200, responses.statusCode());
        assertTrue(responses.body().contains("response.failed"), responses.body());
        assertFalse(responses.body().contains("response.completed"), responses.body());
        noStackTrace(chat.body() + responses.body());
    }

    @Test
    void aStreamCutBeforeMessageStopIsAnError() throws Exception {
        gw.fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.stream(messageStart(), textDelta(0, "Half an ans")));
        HttpResponse<String> anth = messages(MESSAGES_STREAM);
        assertEquals(200, anth.statusCode());
        assertTrue(anth.body().contains("event: error"), anth.body());
        assertFalse(anth.body().contains("message_stop"), anth.body());
    }
}
