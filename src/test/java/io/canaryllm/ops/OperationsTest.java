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
        assertTrue(metrics.contains("canaryllm_requests_seconds_count{endpoint=\"chat_completions\",model=\"mock/echo\",provider=\"mock\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("canaryllm_requests_seconds_bucket"), "latency histogram");
        assertTrue(metrics.contains("resilience4j_circuitbreaker_state"), "breaker state");
        assertTrue(metrics.contains("jvm_memory_used_bytes"));
    }

    @Test
    void responsesNeverEchoRequestHeaders() throws Exception {
        var r = gw.chat("{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(r.headers().firstValue("authorization").isEmpty(), "the caller's key is not echoed back");
    }
}
