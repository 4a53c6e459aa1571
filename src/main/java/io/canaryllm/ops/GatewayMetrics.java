package io.canaryllm.ops;

import io.canaryllm.http.CallContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own meters, in one place. Recorded by the terminal steps of each call rather than by Camel's
 * route policy, which would time every route and sub-route of every exchange. Timers are kept by their labels so
 * the hot path does no meter-id building.
 */
public final class GatewayMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private final MeterRegistry registry;
    private final ConcurrentHashMap<RequestLabels, Timer> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> firstBytes = new ConcurrentHashMap<>();

    private record RequestLabels(String endpoint, String provider, String model, int status) {}

    public GatewayMetrics(MeterRegistry registry) { this.registry = registry; }

    public MeterRegistry registry() { return registry; }

    /** One finished call: {@code canaryllm_requests_seconds{endpoint, provider, model, status}}. */
    public void finish(CallContext call, int status) {
        if (call == null) return;
        requests.computeIfAbsent(new RequestLabels(call.endpoint, call.providerName(), call.modelId(), status), l ->
                        Timer.builder("canaryllm.requests")
                                .description("Calls by endpoint, provider, model and HTTP status, with their duration")
                                .tags("endpoint", l.endpoint, "provider", l.provider, "model", l.model,
                                        "status", Integer.toString(l.status))
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(System.nanoTime() - call.startNanos, TimeUnit.NANOSECONDS);
    }

    /** Time from sending the upstream request to its first body byte. */
    public void upstreamFirstByte(String provider, long nanos) {
        firstBytes.computeIfAbsent(provider, p -> Timer.builder("canaryllm.upstream.first.byte")
                        .description("Time from the upstream request to its first body byte")
                        .tags("provider", p)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
