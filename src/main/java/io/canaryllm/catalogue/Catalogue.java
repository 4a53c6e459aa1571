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

    public Catalogue(BigDecimal markup, Collection<ProviderSpec> providers, Collection<ModelSpec> models) {
        this.markup = markup;
        this.providers = new LinkedHashMap<>();
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.models = new LinkedHashMap<>();
        for (ModelSpec m : models) {
            if (!this.providers.containsKey(m.provider()))
                throw new IllegalArgumentException("model " + m.id() + " names unknown provider " + m.provider());
            this.models.put(m.id(), m);
        }
        for (ModelSpec m : models) {
            for (String f : m.fallbacks()) {
                if (!this.models.containsKey(f)) throw new IllegalArgumentException("model " + m.id() + " falls back to unknown model " + f);
            }
        }
    }

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

    /** A model id resolved to where it goes. */
    public record Target(ProviderSpec provider, ModelSpec model) {
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
        int slash = modelId.indexOf('/');
        if (slash <= 0 || slash == modelId.length() - 1) {
            throw GatewayError.notFound("model_not_found", "The model '" + modelId
                    + "' does not exist: model ids are 'provider/model'. Providers: " + String.join(", ", providers.keySet())
                    + ". GET /v1/models lists every model.");
        }
        String providerName = modelId.substring(0, slash);
        ProviderSpec provider = providers.get(providerName);
        if (provider == null) {
            throw GatewayError.notFound("model_not_found", "Unknown provider '" + providerName + "' in model '" + modelId
                    + "'. Providers: " + String.join(", ", providers.keySet()) + ".");
        }
        ModelSpec model = models.get(modelId);
        if (model != null) return new Target(provider, model);
        if (provider.anyModel()) {
            String name = modelId.substring(slash + 1);
            return new Target(provider, new ModelSpec(modelId, providerName, name, 0, 0, List.of("text"), false, Optional.empty(), List.of()));
        }
        List<String> known = new ArrayList<>();
        models.values().stream().filter(m -> m.provider().equals(providerName)).forEach(m -> known.add(m.id()));
        throw GatewayError.notFound("model_not_found", "The model '" + modelId + "' does not exist. Models of provider '"
                + providerName + "': " + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
    }
}
