package io.canaryllm.http;

import io.canaryllm.core.GatewayError;
import io.canaryllm.upstream.UpstreamFailure;
import org.junit.jupiter.api.Test;

import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gateway's own queue to a provider overflowing is answered 503 with a retry-after, not 502 "unreachable". */
class SaturatedAnswerTest {
    @Test
    void saturationIsA503WithRetryAfter() {
        GatewayError e = new ErrorResponder(null).toGatewayError(
                UpstreamFailure.saturated("openai", new RejectedExecutionException("Max requests queued per destination 1 exceeded")), null);
        assertEquals(503, e.status());
        assertEquals("gateway_saturated", e.code());
        assertEquals("1", e.headers().get("retry-after"));
    }
}
