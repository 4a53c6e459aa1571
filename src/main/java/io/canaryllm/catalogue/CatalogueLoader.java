package io.canaryllm.catalogue;

import io.canaryllm.config.Settings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code config/catalogue.yaml}. String values may hold {@code ${ENV_NAME:default}} placeholders, resolved
 * through {@link Settings}, so every base URL and key can be overridden from the environment.
 */
public final class CatalogueLoader {
    private CatalogueLoader() {}

    public static Catalogue load(Path file) {
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            return fromYaml(map(doc, "catalogue"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read catalogue " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("invalid catalogue " + file + ": " + e.getMessage(), e);
        }
    }

    static Catalogue fromYaml(Map<String, Object> root) {
        BigDecimal markup = decimal(root.getOrDefault("markup", "0"));
        Map<String, Object> defaults = map(root.getOrDefault("defaults", Map.of()), "defaults");
        List<ProviderSpec> providers = new ArrayList<>();
        map(root.get("providers"), "providers").forEach((name, value) ->
                providers.add(provider(name, map(value, "providers." + name), defaults)));
        List<ModelSpec> models = new ArrayList<>();
        for (Object entry : list(root.get("models"), "models")) models.add(model(map(entry, "models[]")));
        return new Catalogue(markup, providers, models);
    }

    private static ProviderSpec provider(String name, Map<String, Object> p, Map<String, Object> defaults) {
        Wire wire = Wire.of(string(p.get("wire"), name + ".wire"));
        Map<String, Object> t = merged(defaults, p, "timeouts");
        Map<String, Object> b = merged(defaults, p, "breaker");
        String keyEnv = p.containsKey("apiKeyEnv") ? string(p.get("apiKeyEnv"), name + ".apiKeyEnv") : null;
        return new ProviderSpec(
                name,
                wire,
                p.containsKey("baseUrl") ? text(p.get("baseUrl")) : "",
                ProviderSpec.AuthStyle.valueOf(text(p.getOrDefault("auth", "bearer")).toUpperCase()),
                keyEnv == null ? Optional.empty() : Settings.get(keyEnv),
                Boolean.parseBoolean(text(p.getOrDefault("anyModel", "false"))),
                Boolean.parseBoolean(text(p.getOrDefault("responses", "false"))),
                new ProviderSpec.Timeouts(num(t, "connectMs"), num(t, "firstByteMs"), num(t, "idleMs"), num(t, "totalMs")),
                new ProviderSpec.Breaker((int) num(b, "slidingWindowSize"), (int) num(b, "minimumNumberOfCalls"),
                        (int) num(b, "failureRateThreshold"), (int) num(b, "waitSeconds")));
    }

    private static ModelSpec model(Map<String, Object> m) {
        String id = string(m.get("id"), "models[].id");
        int slash = id.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("model id '" + id + "' is not provider/model");
        Optional<Prices> price = Optional.empty();
        if (m.get("price") != null) {
            Map<String, Object> p = map(m.get("price"), id + ".price");
            price = Optional.of(Prices.perMillion(decimal(p.getOrDefault("input", 0)), decimal(p.getOrDefault("output", 0)),
                    decimal(p.getOrDefault("cacheRead", 0)), decimal(p.getOrDefault("cacheWrite", 0))));
        }
        List<String> input = new ArrayList<>();
        for (Object o : list(m.getOrDefault("input", List.of("text")), id + ".input")) input.add(text(o));
        return new ModelSpec(id, id.substring(0, slash),
                m.containsKey("upstream") ? text(m.get("upstream")) : id.substring(slash + 1),
                (int) Long.parseLong(text(m.getOrDefault("contextWindow", 0))),
                (int) Long.parseLong(text(m.getOrDefault("maxTokens", 0))),
                List.copyOf(input),
                Boolean.parseBoolean(text(m.getOrDefault("reasoning", false))),
                price,
                list(m.getOrDefault("fallbacks", List.of()), id + ".fallbacks").stream().map(CatalogueLoader::text).toList());
    }

    private static Map<String, Object> merged(Map<String, Object> defaults, Map<String, Object> provider, String key) {
        Map<String, Object> out = new java.util.HashMap<>(map(defaults.getOrDefault(key, Map.of()), "defaults." + key));
        out.putAll(map(provider.getOrDefault(key, Map.of()), key));
        return out;
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key);
        return Long.parseLong(text(v));
    }

    private static BigDecimal decimal(Object v) { return new BigDecimal(text(v)); }

    private static String text(Object v) { return Settings.resolve(String.valueOf(v)); }

    private static String string(Object v, String what) {
        if (v == null) throw new IllegalArgumentException("missing " + what);
        return text(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String what) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException(what + " must be a mapping");
    }

    private static List<?> list(Object v, String what) {
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException(what + " must be a list");
    }
}
