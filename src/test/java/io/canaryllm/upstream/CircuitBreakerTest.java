package io.canaryllm.upstream;

import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each provider has its own breaker (test gateway: opens after 4 calls at 50% failures, stays open 2 s).
 * xai and perplexity are used only here, so no other test shares their breakers.
 */
class CircuitBreakerTest {
    private static final String XAI = "{\"model\":\"xai/grok-4-1-fast-non-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    @Test
    void opensAfterRepeatedUpstream5xxAnswersFastWith503AndRecovers() throws Exception {
        for (int i = 0; i < 4; i++) {
            gw.fake.enqueue("xai", a -> a.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
            HttpResponse<String> r = gw.chat(XAI);
            assertEquals(502, r.statusCode(), r.body());
            assertTrue(r.body().contains("boom"), "the upstream's message is kept: " + r.body());
        }
        long start = System.nanoTime();
        HttpResponse<String> open = gw.chat(XAI);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, open.statusCode(), open.body());
        assertEquals("2", open.headers().firstValue("retry-after").orElse(""));
        assertEquals("provider_unavailable", TestGateway.json(open.body()).path("error").path("code").asText());
        assertEquals(4, gw.fake.received("xai").size(), "an open breaker does not call the upstream");
        assertTrue(ms < 2_000, "answered fast: " + ms + " ms"); // ~10 ms on a quiet machine; generous for a loaded CI box
        assertTrue(gw.get("/metrics").body().contains("resilience4j_circuitbreaker_state{name=\"xai-breaker\",state=\"open\"} 1.0"));

        // another provider is not affected
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "fine"));
        assertEquals(200, gw.chat("{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());

        Thread.sleep(2_300);
        for (int i = 0; i < 3; i++) {
            gw.fake.enqueue("xai", FakeUpstream.completion("grok", "back"));
            HttpResponse<String> r = gw.chat(XAI);
            assertEquals(200, r.statusCode(), r.body());
        }
        assertTrue(gw.get("/metrics").body().contains("resilience4j_circuitbreaker_state{name=\"xai-breaker\",state=\"open\"} 0.0"));
    }

    @Test
    void upstream4xxPassesThroughAndNeverOpensTheBreaker() throws Exception {
        String body = "{\"model\":\"perplexity/sonar-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String upstreamError = "{\"error\":{\"message\":\"Invalid 'max_tokens'\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":null}}";
        for (int i = 0; i < 8; i++) {
            gw.fake.enqueue("perplexity", a -> a.json(400, upstreamError));
            HttpResponse<String> r = gw.chat(body);
            assertEquals(400, r.statusCode());
            assertEquals(upstreamError, r.body());
        }
        gw.fake.enqueue("perplexity", FakeUpstream.completion("sonar-pro", "ok"));
        assertEquals(200, gw.chat(body).statusCode());
    }
}
