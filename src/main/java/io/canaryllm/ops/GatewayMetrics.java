package io.canaryllm.ops;

import io.canaryllm.http.CallContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own meters, in one place. Recorded by the terminal steps of each call rather than by Camel's
 * route policy, which would time every route and sub-route of every exchange.
 */
public final class GatewayMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) { this.registry = registry; }

    public MeterRegistry registry() { return registry; }

    /** One finished call: {@code canaryllm_requests_seconds{endpoint, provider, model, status}}. */
    public void finish(CallContext call, int status) {
        if (call == null) return;
        Timer.builder("canaryllm.requests")
                .description("Calls by endpoint, provider, model and HTTP status, with their duration")
                .tags("endpoint", call.endpoint, "provider", call.providerName(), "model", call.modelId(),
                        "status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(System.nanoTime() - call.startNanos, TimeUnit.NANOSECONDS);
    }

    /** Time from sending the upstream request to its first body byte. */
    public void upstreamFirstByte(String provider, long nanos) {
        Timer.builder("canaryllm.upstream.first.byte")
                .description("Time from the upstream request to its first body byte")
                .tags("provider", provider)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
