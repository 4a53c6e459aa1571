package io.canaryllm.ops;

import io.canaryllm.call.CallContext;
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
    private final ConcurrentHashMap<DeploymentLabels, io.micrometer.core.instrument.Counter> deploymentCalls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TokenLabels, io.micrometer.core.instrument.Counter> tokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger activeStreams = new java.util.concurrent.atomic.AtomicInteger();

    private record TokenLabels(String type, String provider, String model, String key) {}

    private record RequestLabels(String endpoint, String provider, String model, String deployment, int status) {}

    private record DeploymentLabels(String deployment, String provider, String outcome) {}

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        io.micrometer.core.instrument.Gauge.builder("canaryllm.active.streams", activeStreams, Number::doubleValue)
                .description("Streams being relayed now").register(registry);
    }

    /**
     * Tokens by type (input, output, cache_read, cache_write, reasoning; the GenAI conventions' token usage split by
     * type) and the billed cost, per provider, model and key.
     */
    public void usage(CallContext call, io.canaryllm.canonical.Usage usage, java.math.BigDecimal cost) {
        String key = call.key == null ? "none" : call.key.id();
        count("input", call, key, usage.input());
        count("output", call, key, usage.output());
        count("cache_read", call, key, usage.cacheRead());
        count("cache_write", call, key, usage.cacheWrite());
        count("reasoning", call, key, usage.reasoning());
        if (cost != null && cost.signum() > 0) {
            io.micrometer.core.instrument.Counter.builder("canaryllm.cost.usd")
                    .description("US dollars billed, list price with the markup")
                    .tags("provider", call.providerName(), "model", call.modelId(), "key", key)
                    .register(registry).increment(cost.doubleValue());
        }
    }

    private void count(String type, CallContext call, String key, long n) {
        if (n <= 0) return;
        tokens.computeIfAbsent(new TokenLabels(type, call.providerName(), call.modelId(), key), l ->
                io.micrometer.core.instrument.Counter.builder("canaryllm.tokens")
                        .description("Tokens by type (input includes cache reads and writes; output includes reasoning)")
                        .tags("type", l.type, "provider", l.provider, "model", l.model, "key", l.key)
                        .register(registry)).increment(n);
    }

    /** Time from the call's arrival to the first byte written to the caller's stream. */
    public void timeToFirstToken(CallContext call) {
        Timer.builder("canaryllm.time.to.first.token")
                .description("From the call's arrival to the first streamed byte sent to the caller")
                .tags("provider", call.providerName(), "model", call.modelId())
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry).record(System.nanoTime() - call.startNanos, TimeUnit.NANOSECONDS);
    }

    public void streamOpened() { activeStreams.incrementAndGet(); }

    public void streamClosed() { activeStreams.decrementAndGet(); }

    /** One more attempt at an upstream call; reason is the status or the transport failure. */
    public void upstreamRetry(String provider, String reason) {
        io.micrometer.core.instrument.Counter.builder("canaryllm.upstream.retries")
                .description("Upstream calls tried again before any byte reached the caller")
                .tags("provider", provider, "reason", reason).register(registry).increment();
    }

    /** A call served by its model's fallback. */
    public void fallback(String from, String to) {
        io.micrometer.core.instrument.Counter.builder("canaryllm.fallbacks")
                .description("Calls moved to a fallback model after their provider failed or was suspended")
                .tags("from", from, "to", to).register(registry).increment();
    }

    public MeterRegistry registry() { return registry; }

    /** One finished call: {@code canaryllm_requests_seconds{endpoint, provider, model, status}}. */
    public void finish(CallContext call, int status) {
        if (call == null) return;
        requests.computeIfAbsent(new RequestLabels(call.endpoint, call.providerName(), call.modelId(), call.deploymentName(),
                                status), l ->
                        Timer.builder("canaryllm.requests")
                                .description("Calls by endpoint, provider, model, deployment that served and HTTP status, with their duration")
                                .tags("endpoint", l.endpoint, "provider", l.provider, "model", l.model,
                                        "deployment", l.deployment, "status", Integer.toString(l.status))
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(System.nanoTime() - call.startNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One upstream attempt on a deployment and how it went: 2xx, 4xx (the caller's to read), 429, 5xx, timeout,
     * unreachable, or breaker_open (not attempted).
     */
    public void deploymentCall(CallContext call, String outcome) {
        deploymentCalls.computeIfAbsent(new DeploymentLabels(call.deploymentName(), call.providerName(), outcome), l ->
                io.micrometer.core.instrument.Counter.builder("canaryllm.deployment.calls")
                        .description("Upstream attempts per deployment by outcome")
                        .tags("deployment", l.deployment, "provider", l.provider, "outcome", l.outcome)
                        .register(registry)).increment();
    }

    /** A call moved from a failed deployment to another of its model's pool. */
    public void deploymentMoved(String from, String to, String reason) {
        io.micrometer.core.instrument.Counter.builder("canaryllm.deployment.moves")
                .description("Calls moved to another deployment of the pool after a failure, before any fallback")
                .tags("from", from, "to", to, "reason", reason).register(registry).increment();
    }

    /** Time from sending the upstream request to its first body byte, per provider and deployment. */
    public void upstreamFirstByte(CallContext call, long nanos) {
        String provider = call.providerName(), deployment = call.deploymentName();
        firstBytes.computeIfAbsent(deployment, d -> Timer.builder("canaryllm.upstream.first.byte")
                        .description("Time from the upstream request to its first body byte")
                        .tags("provider", provider, "deployment", d)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
