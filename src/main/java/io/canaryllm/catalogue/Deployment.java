package io.canaryllm.catalogue;

/**
 * One place a model is served: a provider as this deployment reaches it (its own key, base URL, region … merged over
 * the provider's entry) and the name the provider knows the model by. Each deployment has its own upstream route and
 * circuit breaker, named by {@link #name}; a model with several deployments is a pool ({@link Strategy}).
 *
 * @param name     route-safe and unique in the catalogue; the provider's own name for a deployment that changes nothing
 * @param upstream the model's name at this deployment
 * @param weight   share of the pool's calls under {@link Strategy#WEIGHTED}; a deployment on a provider with several
 *                 keys is one deployment per key, each with its share of the weight
 */
public record Deployment(String name, ProviderSpec provider, String upstream, double weight) {
    public Deployment {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("deployment name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (!(weight > 0)) throw new IllegalArgumentException("deployment " + name + ": weight must be above 0");
    }

    /** The same deployment serving another upstream model name (a wildcard provider's model). */
    public Deployment serving(String upstreamModel) { return new Deployment(name, provider, upstreamModel, weight); }
}
