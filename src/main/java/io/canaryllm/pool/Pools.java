package io.canaryllm.pool;

import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.catalogue.ModelSpec;
import io.canaryllm.catalogue.Strategy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the deployment of a model's pool that takes a call, by the model's {@link Strategy}, among those the call has
 * not tried yet and that are not cooling down after a 429. A model with one deployment costs a list lookup.
 */
public final class Pools {
    /** A latency sample older than this no longer counts: the deployment is tried again to learn how it does now. */
    static final long STALE_NANOS = 60_000_000_000L;
    /** Deployments this close to the fastest (25%) share the calls by weight, so one lucky sample does not take all. */
    static final double LATENCY_BUFFER = 1.25;
    private final Map<String, DeploymentState> states = new ConcurrentHashMap<>();
    private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public Pools(Catalogue catalogue, MeterRegistry meters) {
        this.meters = meters;
        catalogue.deployments().forEach(this::state);
        for (ModelSpec m : catalogue.models()) rotations.put(m.id(), new Rotation(m.deployments().size()));
    }

    /** The state of a deployment (made on first use, with its gauges). */
    public DeploymentState state(Deployment d) {
        DeploymentState known = states.get(d.name());
        return known != null ? known : states.computeIfAbsent(d.name(), n -> register(new DeploymentState(d)));
    }

    /** Every deployment's state, for the admin API's live view ({@code GET /admin/deployments}). */
    public java.util.Collection<DeploymentState> states() { return java.util.List.copyOf(states.values()); }

    private DeploymentState register(DeploymentState s) {
        if (meters == null) return s;
        String name = s.deployment().name(), provider = s.deployment().provider().name();
        Gauge.builder("canaryllm.deployment.in.flight", s, DeploymentState::inFlight)
                .description("Upstream calls open now, per deployment").tags("deployment", name, "provider", provider)
                .register(meters);
        Gauge.builder("canaryllm.deployment.cooling", s, x -> x.cooling(System.nanoTime()) ? 1 : 0)
                .description("1 while the deployment cools down after a 429").tags("deployment", name, "provider", provider)
                .register(meters);
        Gauge.builder("canaryllm.deployment.first.byte.ewma.seconds", s, DeploymentState::firstByteEwmaSeconds)
                .description("Moving average of the time to first byte, per deployment (lowest-latency reads it)")
                .tags("deployment", name, "provider", provider).register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("canaryllm.deployment.cooldowns", s, DeploymentState::cooldowns)
                .description("Cooldowns begun after a 429, per deployment").tags("deployment", name, "provider", provider)
                .register(meters);
        return s;
    }

    /**
     * The deployment for a call of {@code model}: one not in {@code tried} and not cooling down, chosen by the model's
     * strategy; when every such one is cooling and {@code evenIfCooling}, the one whose cooldown ends first (a call is
     * not refused for that: the upstream may take it). Null when none is left.
     */
    public Deployment choose(ModelSpec model, Set<String> tried, boolean evenIfCooling) {
        List<Deployment> all = model.deployments();
        if (all.size() == 1) return tried.contains(all.get(0).name()) ? null : all.get(0);
        long now = System.nanoTime();
        int n = all.size();
        boolean[] eligible = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            Deployment d = all.get(i);
            if (!tried.contains(d.name()) && !state(d).cooling(now)) {
                eligible[i] = true;
                count++;
            }
        }
        if (count == 0) return evenIfCooling ? soonestWarm(all, tried) : null;
        if (count > 1) narrow(model.strategy(), all, eligible, now);
        return all.get(rotation(model).next(all, eligible));
    }

    /** Keeps only the best by the strategy (weighted keeps all: the rotation shares by weight). */
    private void narrow(Strategy strategy, List<Deployment> all, boolean[] eligible, long now) {
        if (strategy == Strategy.WEIGHTED) return;
        double[] score = new double[all.size()];
        double best = Double.MAX_VALUE;
        for (int i = 0; i < all.size(); i++) {
            if (!eligible[i]) continue;
            DeploymentState s = state(all.get(i));
            score[i] = switch (strategy) {
                case LEAST_IN_FLIGHT -> s.inFlight() / all.get(i).weight();
                // never measured, or not lately: 0, so it is tried first
                case LOWEST_LATENCY -> { double e = s.firstByteEwma(now, STALE_NANOS); yield Double.isNaN(e) ? 0 : e; }
                case WEIGHTED -> 0;
            };
            best = Math.min(best, score[i]);
        }
        double limit = strategy == Strategy.LOWEST_LATENCY ? best * LATENCY_BUFFER : best;
        for (int i = 0; i < all.size(); i++) if (eligible[i] && score[i] > limit) eligible[i] = false;
    }

    private Deployment soonestWarm(List<Deployment> all, Set<String> tried) {
        Deployment best = null;
        long until = Long.MAX_VALUE;
        long now = System.nanoTime();
        for (Deployment d : all) {
            if (tried.contains(d.name())) continue;
            long u = state(d).coolUntilNanos() - now;
            if (best == null || u < until) {
                best = d;
                until = u;
            }
        }
        return best;
    }

    private Rotation rotation(ModelSpec model) {
        Rotation r = rotations.get(model.id());
        // a wildcard model (any name at a local server) shares its provider's rotation: no entry per name
        return r != null ? r : rotations.computeIfAbsent("*" + model.provider(), k -> new Rotation(model.deployments().size()));
    }

    /**
     * Smooth weighted round robin: each eligible deployment gains its weight, the one furthest ahead is taken and
     * set back by the sum. Shares match the weights exactly over a cycle and are spread in time.
     */
    static final class Rotation {
        private final double[] current;

        Rotation(int size) { current = new double[size]; }

        synchronized int next(List<Deployment> all, boolean[] eligible) {
            int best = -1;
            double total = 0;
            for (int i = 0; i < current.length; i++) {
                if (!eligible[i]) continue;
                double w = all.get(i).weight();
                current[i] += w;
                total += w;
                if (best < 0 || current[i] > current[best]) best = i;
            }
            current[best] -= total;
            return best;
        }
    }
}
