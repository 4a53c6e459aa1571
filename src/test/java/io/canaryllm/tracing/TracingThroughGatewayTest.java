package io.canaryllm.tracing;

import io.canaryllm.testing.FakeBedrock;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.OtlpReceiver;
import io.canaryllm.testing.OtlpReceiver.ReceivedSpan;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * Traces as a trace backend receives them: a gateway process exporting over OTLP/HTTP to an in-process receiver,
 * retries and fallbacks on (the shipped defaults, with short pauses), calls from clients that send a W3C
 * {@code traceparent}.
 */
class TracingThroughGatewayTest {
    private static final FakeUpstream fake = TestGateway.get().fake;
    private static OtlpReceiver receiver;
    private static GatewayProcess gw;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        gw = GatewayProcess.start(fake, Map.of(), Map.ofEntries(Map.entry("CANARYLLM_RETRY_BASE_MS", "20"),
                Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()), Map.entry("OTEL_SERVICE_NAME", "canaryllm-test"),
                Map.entry("OTEL_BSP_SCHEDULE_DELAY", "100"),
                // Bedrock on the fake, which checks every SigV4 signature (FakeBedrock)
                Map.entry("CANARYLLM_BEDROCK_BASE_URL", fake.origin(FakeBedrock.PROVIDER)), Map.entry("AWS_REGION", "us-east-1"),
                Map.entry("AWS_ACCESS_KEY_ID", FakeBedrock.ACCESS_KEY), Map.entry("AWS_SECRET_ACCESS_KEY", FakeBedrock.SECRET),
                Map.entry("AWS_SESSION_TOKEN", FakeBedrock.SESSION_TOKEN))).awaitReady();
        key = gw.newKey();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
        if (receiver != null) receiver.close();
    }

    @BeforeEach
    void reset() { fake.reset(); }

    @Test
    void aTranslatedStreamWithOneRetryIsOneTraceOfTheCallersTrace() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        fake.enqueue("openai", a -> a.json(503, "{\"error\":{\"message\":\"overloaded\"}}"), a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\"Hello\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\" there\"}", null));
            a.data(chunk("gpt-4.1", "{}", "stop"));
            a.data(usageChunk("gpt-4.1", 11, 4));
            a.data("[DONE]");
        });
        var r = gw.post("/v1/messages", "{\"model\":\"openai/gpt-4.1\",\"max_tokens\":50,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key, "anthropic-version", "2023-06-01", "traceparent", "00-" + traceId + "-" + callerSpan + "-01");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("event: message_stop"), "an Anthropic stream, translated: " + r.body());

        ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId) && s.kind().equals("SERVER"));
        Thread.sleep(300); // the attempt spans ended before the server span, in the same or an earlier batch
        List<ReceivedSpan> trace = receiver.trace(traceId);
        assertEquals(callerSpan, server.parentSpanId(), "the caller's span is the parent: " + server);
        assertEquals("canaryllm-test", server.service());
        assertEquals("chat openai/gpt-4.1", server.name());
        assertEquals("chat", server.attr("gen_ai.operation.name"));
        assertEquals("openai", server.attr("gen_ai.provider.name"));
        assertEquals("openai/gpt-4.1", server.attr("gen_ai.request.model"));
        assertEquals("openai/gpt-4.1", server.attr("gen_ai.response.model"));
        assertEquals(11L, server.attr("gen_ai.usage.input_tokens"), server.toString());
        assertEquals(4L, server.attr("gen_ai.usage.output_tokens"), server.toString());
        assertEquals(200L, server.attr("http.response.status_code"));
        assertEquals(true, server.attr("canaryllm.stream"));
        assertFalse(String.valueOf(server.attr("canaryllm.key_id")).isBlank(), server.toString());
        double ttft = (Double) server.attr("gen_ai.server.time_to_first_token");
        assertTrue(ttft > 0 && ttft * 1e9 <= server.endNanos() - server.startNanos(), "time to first token " + ttft);
        assertTrue(server.events().contains("gen_ai.first_token"), server.events().toString());
        assertTrue(server.events().contains("canaryllm.retry"), server.events().toString());
        assertEquals("UNSET", server.status());

        List<ReceivedSpan> attempts = trace.stream().filter(s -> s.kind().equals("CLIENT"))
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
        assertEquals(2, attempts.size(), "two upstream attempts: " + trace);
        ReceivedSpan first = attempts.get(0), second = attempts.get(1);
        for (ReceivedSpan a : attempts) {
            assertEquals(server.spanId(), a.parentSpanId(), "an attempt is a child of the call: " + a);
            assertEquals("chat gpt-4.1", a.name());
            assertEquals("openai", a.attr("gen_ai.provider.name"));
            assertEquals("gpt-4.1", a.attr("gen_ai.request.model"));
            assertEquals("127.0.0.1", a.attr("server.address"));
            assertEquals("openai", a.attr("canaryllm.deployment"));
        }
        assertEquals(1L, first.attr("canaryllm.attempt"));
        assertEquals(false, first.attr("canaryllm.retry"));
        assertEquals(503L, first.attr("http.response.status_code"));
        assertEquals("503", first.attr("error.type"));
        assertEquals("ERROR", first.status());
        assertEquals(2L, second.attr("canaryllm.attempt"));
        assertEquals(true, second.attr("canaryllm.retry"));
        assertEquals(200L, second.attr("http.response.status_code"));
        assertEquals(11L, second.attr("gen_ai.usage.input_tokens"));
        assertEquals(4L, second.attr("gen_ai.usage.output_tokens"));
        assertEquals("UNSET", second.status());
        assertTrue(second.endNanos() >= first.endNanos() && second.endNanos() <= server.endNanos(),
                "the streaming attempt ends with its stream, inside the call");

        ReceivedSpan pause = trace.stream().filter(s -> s.name().startsWith("retry ")).findFirst().orElseThrow(() ->
                new AssertionError("a span for the retry's pause: " + trace));
        assertEquals(server.spanId(), pause.parentSpanId());
        assertEquals("503", pause.attr("canaryllm.reason"));
        assertTrue(pause.startNanos() >= first.endNanos() && pause.endNanos() <= second.startNanos(), "between the attempts");

        var upstream = fake.received("openai");
        assertEquals(2, upstream.size());
        assertEquals("00-" + traceId + "-" + first.spanId() + "-01", upstream.get(0).headers().get("traceparent"));
        assertEquals("00-" + traceId + "-" + second.spanId() + "-01", upstream.get(1).headers().get("traceparent"),
                "the upstream sees its own attempt's span as the parent");
        assertEquals(4, trace.size(), "server, two attempts, one retry pause: " + trace);
        assertTrue(receiver.paths().stream().allMatch("/v1/traces"::equals), receiver.paths().toString());
    }

    @Test
    void aFallbackIsASpanWithTheFallbacksAttemptsInside() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        for (int i = 0; i < 3; i++) {
            fake.enqueue("anthropic", a -> a.status(500, null, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}"));
        }
        fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "served by the fallback"));
        var r = gw.post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", key, "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
        assertEquals(200, r.statusCode(), r.body());

        ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId) && s.kind().equals("SERVER"));
        Thread.sleep(300);
        List<ReceivedSpan> trace = receiver.trace(traceId);
        assertEquals("chat anthropic/claude-sonnet-4-5", server.name());
        assertEquals("anthropic/claude-sonnet-4-5", server.attr("gen_ai.request.model"));
        assertEquals("openai/gpt-4.1", server.attr("gen_ai.response.model"));
        assertEquals("openai", server.attr("gen_ai.provider.name"));
        assertEquals(9L, server.attr("gen_ai.usage.input_tokens"));
        assertEquals(3L, server.attr("gen_ai.usage.output_tokens"));
        assertTrue(server.events().contains("canaryllm.fallback"), server.events().toString());

        ReceivedSpan fallback = trace.stream().filter(s -> s.name().equals("fallback openai/gpt-4.1")).findFirst()
                .orElseThrow(() -> new AssertionError("a fallback span: " + trace));
        assertEquals(server.spanId(), fallback.parentSpanId());
        assertEquals("anthropic/claude-sonnet-4-5", fallback.attr("canaryllm.fallback.from"));
        assertEquals("openai/gpt-4.1", fallback.attr("canaryllm.fallback.to"));

        List<ReceivedSpan> attempts = trace.stream().filter(s -> s.kind().equals("CLIENT"))
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
        assertEquals(4, attempts.size(), "three on Anthropic, one on the fallback: " + trace);
        for (int i = 0; i < 3; i++) {
            ReceivedSpan a = attempts.get(i);
            assertEquals("anthropic", a.attr("gen_ai.provider.name"));
            assertEquals(server.spanId(), a.parentSpanId());
            assertEquals(500L, a.attr("http.response.status_code"));
            assertEquals((long) i + 1, a.attr("canaryllm.attempt"));
        }
        ReceivedSpan served = attempts.get(3);
        assertEquals("openai", served.attr("gen_ai.provider.name"));
        assertEquals(fallback.spanId(), served.parentSpanId(), "the fallback's attempt is inside the fallback span");
        assertEquals(4L, served.attr("canaryllm.attempt"));
        assertEquals(2, trace.stream().filter(s -> s.name().startsWith("retry ")).count(), "two retry pauses: " + trace);
        assertEquals("00-" + traceId + "-" + served.spanId() + "-01", fake.received("openai").get(0).headers().get("traceparent"));
    }

    @Test
    void aCallWithoutTraceparentStartsATraceAndAnErrorIsMarked() throws Exception {
        fake.enqueue("openai", a -> a.json(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
        var r = gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key, "x-request-id", "req-trace-400");
        assertEquals(400, r.statusCode(), r.body());
        ReceivedSpan server = receiver.await(s -> "req-trace-400".equals(s.attr("canaryllm.request_id")));
        assertEquals("", server.parentSpanId(), "a new trace");
        assertEquals(400L, server.attr("http.response.status_code"));
        assertEquals("UNSET", server.status(), "a caller's 4xx is no server error");
        String traceparent = fake.received("openai").get(0).headers().get("traceparent");
        assertTrue(traceparent.startsWith("00-" + server.traceId() + "-"), traceparent);
    }

    @Test
    void everyBedrockAttemptIsASpanAndCarriesItsTraceparentBesideTheSignature() throws Exception {
        String traceId = "5b8efff798038103d269b633813fc60c";
        fake.enqueue(FakeBedrock.PROVIDER, FakeBedrock.error(503, "ServiceUnavailableException", "busy"), FakeBedrock.text("from bedrock"));
        var r = gw.post("/v1/chat/completions", "{\"model\":\"bedrock/anthropic.claude-sonnet-4-5\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key, "traceparent", "00-" + traceId + "-eee19b7ec3c1b174-01");
        assertEquals(200, r.statusCode(), "the signature holds with the trace header added: " + r.body());
        ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId) && s.kind().equals("SERVER"));
        Thread.sleep(300);
        List<ReceivedSpan> attempts = receiver.trace(traceId).stream().filter(s -> s.kind().equals("CLIENT"))
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
        assertEquals(2, attempts.size(), receiver.trace(traceId).toString());
        assertEquals("aws.bedrock", server.attr("gen_ai.provider.name"));
        assertEquals(11L, server.attr("gen_ai.usage.input_tokens"));
        assertEquals(5L, server.attr("gen_ai.usage.output_tokens"));
        var sent = fake.received(FakeBedrock.PROVIDER);
        for (int i = 0; i < 2; i++) {
            ReceivedSpan a = attempts.get(i);
            assertEquals("aws.bedrock", a.attr("gen_ai.provider.name"));
            assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", a.attr("gen_ai.request.model"));
            assertEquals(i == 0 ? 503L : 200L, a.attr("http.response.status_code"));
            assertEquals("00-" + traceId + "-" + a.spanId() + "-01", sent.get(i).headers().get("traceparent"));
        }
    }

    @Test
    void aStreamTheCallerLeavesEndsItsSpanAsAnError() throws Exception {
        fake.enqueue("anthropic", FakeUpstream.tickingAnthropicStream(7));
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json").header("x-request-id", "req-trace-gone")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"anthropic/claude-sonnet-4-5\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
                String line;
                while ((line = in.readLine()) != null && !line.contains("tick0")) { /* until the first words */ }
            }
            client.shutdownNow(); // the caller leaves mid-stream
        }
        ReceivedSpan server = receiver.await(s -> "req-trace-gone".equals(s.attr("canaryllm.request_id")));
        assertEquals(499L, server.attr("http.response.status_code"));
        assertEquals("client_closed", server.attr("error.type"));
        assertEquals("ERROR", server.status());
        assertEquals(7L, server.attr("gen_ai.usage.input_tokens"), "the tokens seen before the caller left");
        Thread.sleep(300);
        ReceivedSpan attempt = receiver.trace(server.traceId()).stream().filter(s -> s.kind().equals("CLIENT")).findFirst().orElseThrow();
        assertEquals("ERROR", attempt.status(), "the streaming attempt ends with the stream");
    }

    @Test
    void aStreamThatBreaksUpstreamEndsItsSpanAsAnError() throws Exception {
        fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
            a.reset();
        });
        var r = gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key, "x-request-id", "req-trace-broken");
        assertEquals(200, r.statusCode(), "the status went out with the first frame");
        assertTrue(r.body().contains("\"error\""), r.body());
        ReceivedSpan server = receiver.await(s -> "req-trace-broken".equals(s.attr("canaryllm.request_id")));
        assertEquals("ERROR", server.status(), server.toString());
        assertTrue((Long) server.attr("http.response.status_code") >= 500, server.toString());
        assertFalse(String.valueOf(server.attr("error.type")).isBlank());
    }
}
