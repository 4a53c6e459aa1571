package io.canaryllm.ops;

import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationsTest {
    private final TestGateway gw = TestGateway.get();

    @Test
    void healthReadinessRootProbeAndMetrics() throws Exception {
        assertEquals(200, gw.get("/health").statusCode());
        var ready = gw.get("/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("\"store\":\"UP\""));
        var head = gw.http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());

        assertEquals(200, gw.chat("{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}").statusCode());
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("canaryllm_requests_seconds_count{deployment=\"mock\",endpoint=\"chat_completions\",model=\"mock/echo\",provider=\"mock\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("canaryllm_requests_seconds_bucket"), "latency histogram");
        assertTrue(metrics.contains("resilience4j_circuitbreaker_state"), "breaker state");
        assertTrue(metrics.contains("jvm_memory_used_bytes"));
    }

    @Test
    void metricsCoverRequestsLatencyFirstTokenTokensCostStreamsAndBreakers() throws Exception {
        gw.fake.reset();
        gw.fake.enqueue("openai", io.canaryllm.testing.FakeUpstream.completion("gpt-4.1", "priced"));
        assertEquals(200, gw.chat("{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
        assertEquals(200, gw.chat("{\"model\":\"mock/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}").statusCode());
        String m = gw.get("/metrics").body();
        String key = "key=\"" + keyId() + "\"";
        for (String series : new String[] {
                "canaryllm_requests_seconds_count{deployment=\"openai\",endpoint=\"chat_completions\",model=\"openai/gpt-4.1\",provider=\"openai\",status=\"200\"}",
                "canaryllm_requests_seconds_bucket{deployment=\"openai\",endpoint=\"chat_completions\"",
                "canaryllm_upstream_first_byte_seconds_count{deployment=\"openai\",provider=\"openai\"}",
                "canaryllm_time_to_first_token_seconds_count{model=\"mock/echo\",provider=\"mock\"}",
                "canaryllm_tokens_total{" + key + ",model=\"openai/gpt-4.1\",provider=\"openai\",type=\"input\"}",
                "canaryllm_tokens_total{" + key + ",model=\"openai/gpt-4.1\",provider=\"openai\",type=\"output\"}",
                "canaryllm_cost_usd_total{" + key + ",model=\"openai/gpt-4.1\",provider=\"openai\"}",
                "canaryllm_active_streams 0.0",
                "resilience4j_circuitbreaker_state{name=\"openai-breaker\",state=\"closed\"} 1.0"}) {
            assertTrue(m.contains(series), "missing " + series);
        }
    }

    private String keyId() throws Exception {
        var keys = TestGateway.json(gw.get("/admin/keys", "Authorization", "Bearer " + TestGateway.MASTER_KEY).body()).path("data");
        for (var k : keys) if (k.path("name").asText().equals("tests")) return k.path("id").asText();
        throw new AssertionError("no test key");
    }

    @Test
    void requestIdsAreAcceptedOrMadeAndAlwaysReturned() throws Exception {
        var given = gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + gw.apiKey, "x-request-id", "trace-42");
        assertEquals("trace-42", given.headers().firstValue("x-request-id").orElse(""));
        var made = gw.post("/v1/chat/completions", "{\"model\":\"nope/x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + gw.apiKey);
        assertTrue(made.headers().firstValue("x-request-id").orElse("").matches("[0-9a-f-]{36}"), "errors carry one too");
        var streamed = gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + gw.apiKey, "x-request-id", "trace-43");
        assertEquals("trace-43", streamed.headers().firstValue("x-request-id").orElse(""));
    }

    @Test
    void responsesNeverEchoRequestHeaders() throws Exception {
        var r = gw.chat("{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(r.headers().firstValue("authorization").isEmpty(), "the caller's key is not echoed back");
    }
}
