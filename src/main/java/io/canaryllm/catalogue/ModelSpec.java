package io.canaryllm.catalogue;

import java.util.List;
import java.util.Optional;

/**
 * A model the gateway serves.
 *
 * @param id          the public id, {@code provider/name}
 * @param upstream    the name the provider knows it by (at the deployment a call goes to, once one is chosen)
 * @param price       list price per token before markup; empty for unpriced (local wildcard) models
 * @param fallbacks   models to try, in order, when every deployment of this one failed or is suspended
 * @param deployments where it is served: one (its provider) unless the catalogue lists several, or its provider has
 *                    several keys
 * @param strategy    how a call picks one of several deployments
 */
public record ModelSpec(
        String id,
        String provider,
        String upstream,
        int contextWindow,
        int maxTokens,
        List<String> input,
        boolean reasoning,
        Optional<Prices> price,
        List<String> fallbacks,
        List<Deployment> deployments,
        Strategy strategy) {

    public ModelSpec {
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) throw new IllegalArgumentException("model " + id + " has no deployment");
    }

    /** The model as one of its deployments serves it (its upstream name there). */
    ModelSpec at(Deployment d) {
        return d.upstream().equals(upstream) ? this
                : new ModelSpec(id, provider, d.upstream(), contextWindow, maxTokens, input, reasoning, price, fallbacks, deployments, strategy);
    }
}
