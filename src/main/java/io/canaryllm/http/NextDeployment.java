package io.canaryllm.http;

import io.canaryllm.call.CallContext;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.config.Settings;
import io.canaryllm.ops.GatewayMetrics;
import io.canaryllm.pool.Pools;
import io.canaryllm.tracing.CallSpans;
import io.canaryllm.upstream.RetryPolicy;
import io.canaryllm.upstream.UpstreamFailure;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step taken when a deployment failed before answering (429, 5xx, timeout, unreachable, its breaker open): a 429
 * cools the deployment down (its {@code retry-after}, else {@code CANARYLLM_COOLDOWN_SECONDS}); the call moves at once
 * to another deployment of the pool it has not tried; when none is left, the same deployment is called again after
 * the pause {@link RetryPolicy} allows; when that is spent too, the failure goes on to the route, which falls back to
 * another model. Nothing has reached the caller yet, so any of these is safe.
 */
public final class NextDeployment implements Processor {
    private final DecodeRequest decode;
    private final Pools pools;
    private final RetryPolicy retries;
    private final GatewayMetrics metrics;
    private final CallSpans spans;
    private final long defaultCooldownMs = Settings.getLong("CANARYLLM_COOLDOWN_SECONDS", 5) * 1000;
    private final long maxCooldownMs = Settings.getLong("CANARYLLM_COOLDOWN_MAX_SECONDS", 300) * 1000;

    public NextDeployment(DecodeRequest decode, Pools pools, RetryPolicy retries, GatewayMetrics metrics, CallSpans spans) {
        this.spans = spans;
        this.decode = decode;
        this.pools = pools;
        this.retries = retries;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        Deployment failed = call.target.deployment();
        UpstreamFailure upstream = failure instanceof UpstreamFailure u ? u : null;
        String reason = reason(upstream);
        if (upstream == null) metrics.deploymentCall(call, reason); // its breaker refused the call
        if (upstream != null && upstream.kind() == UpstreamFailure.Kind.HTTP_STATUS && upstream.status() == 429) {
            long retryAfter = RetryPolicy.retryAfterMs(upstream.retryAfter());
            pools.state(failed).coolDown(Math.min(maxCooldownMs, retryAfter > 0 ? retryAfter : defaultCooldownMs));
        }
        call.tried(failed.name());
        Deployment next = pools.choose(call.target.model(), call.triedDeployments, false);
        if (next != null) {
            metrics.deploymentMoved(failed.name(), next.name(), reason);
            spans.moved(call, failed.name(), next.name(), reason);
        } else {
            long delay = upstream == null ? -1 : retries.delayMs(upstream, call.retries++);
            if (delay < 0) throw failure;
            metrics.upstreamRetry(call.providerName(), reason);
            var pause = spans.retry(call, reason, delay);
            try {
                Thread.sleep(delay);
            } finally {
                pause.end();
            }
            call.triedDeployments = java.util.Set.of();
            next = pools.choose(call.target.model(), call.triedDeployments, true);
        }
        call.nextDeployment = next;
        call.translation = null;
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        decode.process(exchange);
    }

    private static String reason(UpstreamFailure f) {
        if (f == null) return "breaker_open";
        return f.kind() == UpstreamFailure.Kind.HTTP_STATUS ? Integer.toString(f.status()) : f.kind().name().toLowerCase();
    }
}
