package io.canaryllm.upstream;

import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries, fallbacks and graceful shutdown, on a gateway process with the shipped defaults (retries and fallbacks on). */
class RetryAndFallbackTest {
    private static final FakeUpstream fake = TestGateway.get().fake;
    private static GatewayProcess gw;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayProcess.start(fake, Map.of(), Map.of("CANARYLLM_RETRY_BASE_MS", "20")).awaitReady();
        key = gw.newKey();
    }

    @AfterAll
    static void stop() throws Exception { gw.close(); }

    @BeforeEach
    void reset() { fake.reset(); }

    private HttpResponse<String> chat(String model) throws Exception {
        return gw.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key);
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        fake.enqueue("openai", a -> a.status(429, "1", "{\"error\":{\"message\":\"rate limited\",\"type\":\"requests\"}}"),
                FakeUpstream.completion("gpt-4.1", "second time lucky"));
        long start = System.nanoTime();
        var r = chat("openai/gpt-4.1");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("second time lucky"));
        assertEquals(2, fake.received("openai").size());
        assertTrue(ms >= 1_000, "waited for retry-after: " + ms + " ms");
    }

    @Test
    void anExhaustedQuotaIsNotRetried() throws Exception {
        fake.enqueue("openai", a -> a.status(429, null, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
        assertEquals(429, chat("openai/gpt-4.1").statusCode());
        assertEquals(1, fake.received("openai").size());
    }

    @Test
    void an529OverloadIsRetried() throws Exception {
        fake.enqueue("anthropic", a -> a.status(529, null, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                a -> a.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}"));
        var r = gw.post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, fake.received("anthropic").size());
    }

    @Test
    void retriesSpentFallBackToAnotherWire() throws Exception {
        for (int i = 0; i < 3; i++) fake.enqueue("anthropic", a -> a.status(500, null, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}"));
        fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "served by the fallback"));
        var r = gw.post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai/gpt-4.1", r.headers().firstValue("x-canaryllm-model").orElse(""));
        var answer = TestGateway.json(r.body());
        assertEquals("message", answer.path("type").asText(), "still the caller's protocol");
        assertEquals("served by the fallback", answer.path("content").get(0).path("text").asText());
        assertEquals(3, fake.received("anthropic").size(), "first try and two retries");
        assertEquals("gpt-4.1", fake.received("openai").get(0).json().path("model").asText());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("canaryllm_upstream_retries_total{provider=\"anthropic\",reason=\"500\"} 2.0"), metrics);
        assertTrue(metrics.contains("canaryllm_fallbacks_total{from=\"anthropic/claude-sonnet-4-5\",to=\"openai/gpt-4.1\"} 1.0"), metrics);
    }

    @Test
    void aFailureInsideTheSharedModelCallIsAnsweredInEachCallersProtocol() throws Exception {
        // the call and its retries run in routes/model-call.camel.yaml, which has no error handler of its own: the
        // endpoint route that called it answers (one provider per endpoint, so no breaker comes near opening)
        String messages = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        for (String p : new String[] {"lmstudio", "ollama", "perplexity"})
            for (int i = 0; i < 3; i++) fake.enqueue(p, a -> a.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));

        var chat = gw.post("/v1/chat/completions", "{\"model\":\"lmstudio/any\",\"messages\":" + messages + "}",
                "Authorization", "Bearer " + key, "x-request-id", "req-shared-1");
        assertEquals(502, chat.statusCode(), chat.body());
        assertEquals("upstream_error", TestGateway.json(chat.body()).path("error").path("code").asText(), chat.body());
        assertEquals("req-shared-1", chat.headers().firstValue("x-request-id").orElse(""));
        assertTrue(chat.headers().firstValue("content-type").orElse("").startsWith("application/json"));

        var responses = gw.post("/v1/responses", "{\"model\":\"ollama/any\",\"input\":\"hi\"}", "Authorization", "Bearer " + key);
        assertEquals(502, responses.statusCode(), responses.body());
        assertTrue(TestGateway.json(responses.body()).path("error").path("message").asText().contains("overloaded"), responses.body());

        var anthropic = gw.post("/v1/messages", "{\"model\":\"perplexity/sonar-pro\",\"max_tokens\":5,\"messages\":" + messages + "}",
                "x-api-key", key);
        assertEquals(502, anthropic.statusCode(), anthropic.body());
        var error = TestGateway.json(anthropic.body());
        assertEquals("error", error.path("type").asText(), "an Anthropic error object: " + anthropic.body());
        assertTrue(error.path("error").path("message").asText().contains("overloaded"), anthropic.body());
        for (String p : new String[] {"lmstudio", "ollama", "perplexity"})
            assertEquals(3, fake.received(p).size(), p + ": first try and two retries, then the error answer");
    }

    @Test
    void shutdownLetsAStreamInFlightFinish() throws Exception {
        // a separate gateway: this one is stopped by the test
        try (GatewayProcess stopping = GatewayProcess.start(fake, Map.of()).awaitReady()) {
            String k = stopping.newKey();
            fake.enqueue("openai", a -> {
                a.startSse();
                for (int i = 0; i < 15; i++) {
                    a.data(chunk("gpt-4.1", "{\"content\":\"t" + i + " \"}", null));
                    Thread.sleep(100);
                }
                a.data(chunk("gpt-4.1", "{}", "stop"));
                a.data("[DONE]");
            });
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stopping.baseUrl + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + k).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.startsWith("data: ")) continue;
                    lines.add(line);
                    if (lines.size() == 2) stopping.terminate(); // SIGTERM while the stream runs
                }
            }
            assertEquals("data: [DONE]", lines.get(lines.size() - 1), "the stream in flight finished: " + lines);
            assertEquals(17, lines.size());
            long stopStart = System.nanoTime();
            int code = stopping.awaitExit(30);
            // 143 = ended by SIGTERM after a clean shutdown (what orchestrators expect); anything else is a failure
            assertTrue(code == 0 || code == 143, "exit code " + code + "\n" + stopping.output());
            System.out.println("shutdown after the stream: " + (System.nanoTime() - stopStart) / 1_000_000 + " ms");
        }
    }
}
