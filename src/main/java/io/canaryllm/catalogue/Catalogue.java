package io.canaryllm.catalogue;

import io.canaryllm.core.Protocol;

import io.canaryllm.core.GatewayError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Providers and models the gateway serves, read once at start from {@code config/catalogue.yaml}. */
public final class Catalogue {
    private final BigDecimal markup;
    private final Map<String, ProviderSpec> providers;
    private final Map<String, ModelSpec> models;
    private final Map<String, List<Deployment>> providerDeployments;
    private final Map<String, String> aliases;
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();

    /**
     * @param providerDeployments per provider, the deployments a model of it has when the catalogue lists none (one
     *                            per key; upstream names filled in per model)
     * @param aliases             a name ({@code fast}) → the model id it stands for
     */
    public Catalogue(BigDecimal markup, Collection<ProviderSpec> providers, Map<String, List<Deployment>> providerDeployments,
                     Collection<ModelSpec> models, Map<String, String> aliases) {
        this.markup = markup;
        this.providers = new LinkedHashMap<>();
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.providerDeployments = Map.copyOf(providerDeployments);
        this.models = new LinkedHashMap<>();
        for (ProviderSpec p : providers) providerDeployments(p.name()).forEach(this::addDeployment);
        for (ModelSpec m : models) {
            if (!this.providers.containsKey(m.provider()))
                throw new IllegalArgumentException("model " + m.id() + " names unknown provider " + m.provider());
            this.models.put(m.id(), m);
            m.deployments().forEach(this::addDeployment);
        }
        for (ModelSpec m : models) {
            for (String f : m.fallbacks()) {
                if (!this.models.containsKey(f)) throw new IllegalArgumentException("model " + m.id() + " falls back to unknown model " + f);
            }
        }
        this.aliases = new LinkedHashMap<>();
        aliases.forEach((alias, target) -> {
            if (this.models.containsKey(alias)) throw new IllegalArgumentException("alias " + alias + " is also a model id");
            if (!this.models.containsKey(target)) throw new IllegalArgumentException("alias " + alias + " names unknown model " + target);
            this.aliases.put(alias, target);
        });
    }

    /** One name, one deployment: the same name twice must mean the same provider, key and address. */
    private void addDeployment(Deployment d) {
        if (providers.containsKey(d.name()) && !d.name().equals(d.provider().name())) {
            throw new IllegalArgumentException("deployment " + d.name() + " has the name of provider " + d.name());
        }
        Deployment known = deployments.putIfAbsent(d.name(), d);
        if (known != null && !known.provider().equals(d.provider())) {
            throw new IllegalArgumentException("two different deployments are named " + d.name() + ": give each its own name");
        }
    }

    private List<Deployment> providerDeployments(String provider) {
        return providerDeployments.getOrDefault(provider, List.of());
    }

    /** Every deployment the catalogue names, once each: one upstream route and breaker each. */
    public Collection<Deployment> deployments() { return deployments.values(); }

    /** Aliases in catalogue order: name → model id. */
    public Map<String, String> aliases() { return java.util.Collections.unmodifiableMap(aliases); }

    public BigDecimal markup() { return markup; }
    public Collection<ProviderSpec> providers() { return providers.values(); }
    public Collection<ModelSpec> models() { return models.values(); }
    public Optional<ProviderSpec> provider(String name) { return Optional.ofNullable(providers.get(name)); }

    /**
     * What the gateway bills per token for a model: list price with the markup, exact (not the rounded published
     * price); empty for unpriced models.
     */
    public Optional<Prices> billedPrices(ModelSpec model) { return model.price().map(p -> p.withMarkup(markup)); }

    /** What {@code GET /api/public/models} shows per token: the billed prices rounded to four significant digits. */
    public Optional<Prices> publishedPrices(ModelSpec model) { return billedPrices(model).map(Prices::published); }

    /**
     * A model id resolved to where it goes: the model as {@code deployment} serves it, and that deployment's provider
     * (with the deployment's own key and address).
     */
    public record Target(ProviderSpec provider, ModelSpec model, Deployment deployment) {
        /** The same model at another of its deployments. */
        public Target on(Deployment d) {
            return d == deployment ? this : new Target(d.provider(), model.at(d), d);
        }

        /**
         * The wire this model speaks: its provider's, except Claude on Vertex AI, which is Anthropic Messages
         * through Vertex's Anthropic publisher ({@code :rawPredict}, protocols.md 7).
         */
        public ProviderWire wire() {
            ProviderWire w = provider.wire();
            return w.transport() == ProviderWire.Transport.VERTEX && model.upstream().startsWith("claude")
                    ? w.speaking(Protocol.ANTHROPIC) : w;
        }
    }

    /**
     * Resolves {@code provider/model}, split on the first slash only ({@code lmstudio/unsloth/qwen3.6-27b-mlx} is
     * provider {@code lmstudio}, model {@code unsloth/qwen3.6-27b-mlx}).
     */
    public Target resolve(String modelId) {
        String aliased = aliases.get(modelId);
        if (aliased != null) modelId = aliased;
        int slash = modelId.indexOf('/');
        if (slash <= 0 || slash == modelId.length() - 1) {
            throw GatewayError.modelNotFound("The model '" + modelId
                    + "' does not exist: model ids are 'provider/model'"
                    + (aliases.isEmpty() ? "" : " or an alias (" + String.join(", ", aliases.keySet()) + ")")
                    + ". Providers: " + String.join(", ", providers.keySet())
                    + ". GET /v1/models lists every model.");
        }
        String providerName = modelId.substring(0, slash);
        ProviderSpec provider = providers.get(providerName);
        if (provider == null) {
            throw GatewayError.modelNotFound("Unknown provider '" + providerName + "' in model '" + modelId
                    + "'. Providers: " + String.join(", ", providers.keySet()) + ".");
        }
        ModelSpec model = models.get(modelId);
        if (model != null) return at(model, model.deployments().get(0));
        if (provider.anyModel()) {
            String name = modelId.substring(slash + 1);
            List<Deployment> served = providerDeployments(providerName).stream().map(d -> d.serving(name)).toList();
            ModelSpec any = new ModelSpec(modelId, providerName, name, 0, 0, List.of("text"), false, Optional.empty(), List.of(),
                    served, Strategy.WEIGHTED);
            return at(any, served.get(0));
        }
        List<String> known = new ArrayList<>();
        models.values().stream().filter(m -> m.provider().equals(providerName)).forEach(m -> known.add(m.id()));
        throw GatewayError.modelNotFound("The model '" + modelId + "' does not exist. Models of provider '"
                + providerName + "': " + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
    }

    private static Target at(ModelSpec model, Deployment d) { return new Target(d.provider(), model.at(d), d); }
}
