package io.canaryllm.admin;

import io.canaryllm.call.ResponseBody;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.catalogue.ModelSpec;
import io.canaryllm.core.Json;
import io.canaryllm.pool.DeploymentState;
import io.canaryllm.pool.Pools;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/deployments}: every deployment as it is now, for the console's Providers page. Read from what the
 * gateway already keeps, so the view costs the hot path nothing: the pool's state (in flight, cooling, moving
 * average of the first byte), the circuit breaker's state and failure rate (the Resilience4j meters Camel
 * registers, named {@code <deployment>-breaker}), and the attempts per outcome since start
 * ({@code canaryllm_deployment_calls_total}). The built-in {@code mock} has no breaker: it makes no upstream call.
 */
public final class AdminDeployments {
    /** Attempt outcomes that count as the deployment's failure (a 4xx is the caller's). */
    private static final List<String> FAILURES = List.of("429", "5xx", "timeout", "unreachable", "breaker_open");
    private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open", "forced_open", "disabled", "metrics_only");
    private final Catalogue catalogue;
    private final Pools pools;
    private final MeterRegistry meters;

    public AdminDeployments(Catalogue catalogue, Pools pools, MeterRegistry meters) {
        this.catalogue = catalogue;
        this.pools = pools;
        this.meters = meters;
    }

    public Processor list() {
        return exchange -> {
            Map<String, List<String>> models = new TreeMap<>();
            for (ModelSpec m : catalogue.models()) {
                for (Deployment d : m.deployments()) models.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(m.id());
            }
            List<Map<String, Object>> data = new ArrayList<>();
            pools.states().stream().sorted(Comparator.comparing(s -> s.deployment().name()))
                    .forEach(s -> data.add(describe(s, models.getOrDefault(s.deployment().name(), List.of()))));
            Message out = exchange.getMessage();
            out.getHeaders().clear();
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
            out.setBody(ResponseBody.of(Json.bytes(Map.of("object", "list", "data", data))));
        };
    }

    private Map<String, Object> describe(DeploymentState s, List<String> models) {
        Deployment d = s.deployment();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("provider", d.provider().name());
        m.put("wire", d.provider().wire().id());
        m.put("models", models);
        m.put("breaker", breakerState(d.name()));
        m.put("breaker_failure_rate", breakerFailureRate(d.name()));
        Map<String, Long> outcomes = outcomes(d.name());
        long calls = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long failures = FAILURES.stream().mapToLong(o -> outcomes.getOrDefault(o, 0L)).sum();
        m.put("calls", calls);
        m.put("failures", failures);
        m.put("error_rate", calls == 0 ? null : (double) failures / calls);
        m.put("outcomes", outcomes);
        m.put("in_flight", s.inFlight());
        m.put("cooling", s.coolingMillisLeft() > 0);
        m.put("cooling_ms_left", s.coolingMillisLeft());
        m.put("cooldowns", s.cooldowns());
        double ewma = s.firstByteEwmaSeconds();
        m.put("first_byte_ewma_ms", ewma == 0 ? null : Math.round(ewma * 1000 * 10) / 10.0);
        Timer first = meters.find("canaryllm.upstream.first.byte").tag("deployment", d.name()).timer();
        m.put("first_byte_mean_ms", first == null || first.count() == 0 ? null
                : Math.round(first.mean(TimeUnit.MILLISECONDS) * 10) / 10.0);
        return m;
    }

    /** The breaker's state (its gauge is 1 for the current one), null for a deployment without one. */
    private String breakerState(String deployment) {
        for (String state : BREAKER_STATES) {
            Gauge g = meters.find("resilience4j.circuitbreaker.state").tag("name", deployment + "-breaker").tag("state", state).gauge();
            if (g != null && g.value() == 1.0) return state;
        }
        return null;
    }

    /** The failure rate in percent over the breaker's window; null while it has seen too few calls (-1). */
    private Double breakerFailureRate(String deployment) {
        Gauge g = meters.find("resilience4j.circuitbreaker.failure.rate").tag("name", deployment + "-breaker").gauge();
        return g == null || g.value() < 0 ? null : g.value();
    }

    private Map<String, Long> outcomes(String deployment) {
        Map<String, Long> out = new TreeMap<>();
        for (Counter c : meters.find("canaryllm.deployment.calls").tag("deployment", deployment).counters()) {
            out.merge(c.getId().getTag("outcome"), (long) c.count(), Long::sum);
        }
        return out;
    }
}
