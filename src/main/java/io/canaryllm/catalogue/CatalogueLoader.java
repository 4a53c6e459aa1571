package io.canaryllm.catalogue;

import io.canaryllm.translate.Wires;

import io.canaryllm.config.Settings;
import io.canaryllm.core.Protocol;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        List<ProviderSpec> providers = new ArrayList<>();
        Map<String, List<Deployment>> providerDeployments = new LinkedHashMap<>();
        map(root.get("providers"), "providers").forEach((name, value) -> {
            Map<String, Object> entry = map(value, "providers." + name);
            entries.put(name, entry);
            List<Deployment> own = deployments(name, name, entry, 1, defaults);
            providers.add(own.get(0).provider());
            providerDeployments.put(name, own);
        });
        List<ModelSpec> models = new ArrayList<>();
        for (Object entry : list(root.get("models"), "models")) {
            models.add(model(map(entry, "models[]"), entries, providerDeployments, defaults));
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        map(root.getOrDefault("aliases", Map.of()), "aliases").forEach((alias, target) -> {
            if (alias == null || alias.isBlank() || target == null) throw new IllegalArgumentException("aliases: '" + alias + "' needs a model id");
            aliases.put(alias, text(target));
        });
        return new Catalogue(markup, providers, providerDeployments, models, aliases);
    }

    /**
     * The deployments one catalogue entry makes: one, or one per key when {@code apiKeyEnv} lists several (keys whose
     * variable is unset are left out; the weight is shared among the rest). Upstream names are filled in per model.
     */
    private static List<Deployment> deployments(String name, String provider, Map<String, Object> entry, double weight,
                                                Map<String, Object> defaults) {
        Object keys = entry.get("apiKeyEnv");
        if (!(keys instanceof List<?> list)) return List.of(new Deployment(name, provider(provider, entry, defaults), "", weight));
        if (list.isEmpty()) throw new IllegalArgumentException(name + ".apiKeyEnv lists no variable");
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) if (Settings.get(text(list.get(i))).isPresent()) set.add(i);
        if (set.isEmpty()) set.add(0); // none set: the first (a keyless provider still answers, or says why not)
        List<Deployment> out = new ArrayList<>();
        for (int i : set) {
            Map<String, Object> one = new LinkedHashMap<>(entry);
            one.put("apiKeyEnv", list.get(i));
            out.add(new Deployment(set.size() == 1 ? name : name + "-key" + (i + 1), provider(provider, one, defaults), "",
                    weight / set.size()));
        }
        return out;
    }

    private static ProviderSpec provider(String name, Map<String, Object> p, Map<String, Object> defaults) {
        ProviderWire wire = ProviderWire.of(string(p.get("wire"), name + ".wire"));
        Map<String, Object> t = merged(defaults, p, "timeouts");
        Map<String, Object> b = merged(defaults, p, "breaker");
        String keyEnv = p.get("apiKeyEnv") != null ? string(p.get("apiKeyEnv"), name + ".apiKeyEnv") : null;
        boolean responses = Boolean.parseBoolean(text(p.getOrDefault("responses", "false")));
        return new ProviderSpec(
                name,
                wire,
                p.containsKey("baseUrl") ? text(p.get("baseUrl")) : "",
                auth(name, wire, p.get("auth")),
                keyEnv == null ? Optional.empty() : Settings.get(keyEnv),
                Boolean.parseBoolean(text(p.getOrDefault("anyModel", "false"))),
                responses,
                query(name, wire, p.get("query")),
                paths(name, wire, responses, p.get("paths")),
                new ProviderSpec.Timeouts(num(t, "connectMs"), num(t, "firstByteMs"), num(t, "idleMs"), num(t, "totalMs")),
                new ProviderSpec.Breaker((int) num(b, "slidingWindowSize"), (int) num(b, "minimumNumberOfCalls"),
                        (int) num(b, "failureRateThreshold"), (int) num(b, "waitSeconds")),
                aws(name, wire, p),
                http2(name, wire, p.get("http2")));
    }

    /** {@code http2}: true or false (default false); the mock provider makes no calls to speak it on. */
    private static boolean http2(String provider, ProviderWire wire, Object value) {
        String where = "providers." + provider + ".http2";
        if (value == null) return false;
        String v = text(value).strip().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(where + " is '" + text(value) + "': use true or false");
        if (v.equals("true") && wire.isMock()) throw new IllegalArgumentException(where + ": the mock provider makes no upstream calls");
        return v.equals("true");
    }

    /** The AWS fields a provider may have ({@code region}, {@code profile}, the key variables); only with wire bedrock. */
    private static final java.util.Set<String> AWS_FIELDS = java.util.Set.of("region", "profile", "accessKeyEnv",
            "secretKeyEnv", "sessionTokenEnv");

    /**
     * A Bedrock provider's AWS settings: {@code region} (default {@code AWS_REGION}, else us-east-1), {@code profile},
     * and the variables of its credentials ({@code accessKeyEnv}, {@code secretKeyEnv}, {@code sessionTokenEnv};
     * default the usual AWS names). Null for other wires, which may not set them.
     */
    private static ProviderSpec.Aws aws(String name, ProviderWire wire, Map<String, Object> p) {
        if (wire.transport() != ProviderWire.Transport.AWS) {
            for (String f : AWS_FIELDS) {
                if (p.containsKey(f)) throw new IllegalArgumentException("providers." + name + "." + f + ": only a provider with wire bedrock has AWS settings");
            }
            return null;
        }
        if (p.containsKey("apiKeyEnv")) {
            throw new IllegalArgumentException("providers." + name + ".apiKeyEnv: a bedrock provider signs with AWS credentials "
                    + "(accessKeyEnv, secretKeyEnv, sessionTokenEnv or profile)");
        }
        String region = p.get("region") == null ? "" : text(p.get("region")).strip();
        if (region.isEmpty()) region = Settings.get("AWS_REGION", "us-east-1");
        if (!region.matches("[a-z0-9-]+")) throw new IllegalArgumentException("providers." + name + ".region '" + region + "' is not an AWS region");
        String profile = p.get("profile") == null ? null : text(p.get("profile")).strip();
        return new ProviderSpec.Aws(region,
                envName(name, p, "accessKeyEnv", "AWS_ACCESS_KEY_ID"),
                envName(name, p, "secretKeyEnv", "AWS_SECRET_ACCESS_KEY"),
                envName(name, p, "sessionTokenEnv", "AWS_SESSION_TOKEN"),
                profile == null || profile.isEmpty() ? null : profile);
    }

    private static String envName(String provider, Map<String, Object> p, String field, String fallback) {
        if (p.get(field) == null) return fallback;
        String v = text(p.get(field)).strip();
        if (!v.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("providers." + provider + "." + field + " '" + v + "' is not a variable name");
        }
        return v;
    }

    /** A header name as HTTP allows it (RFC 9110 token). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** A {@code {placeholder}} in a path. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    /** {@code auth}: absent or {@code bearer} (the wire's own), {@code none}, or {@code {header: NAME}}. */
    private static ProviderSpec.Auth auth(String provider, ProviderWire wire, Object value) {
        String where = "providers." + provider + ".auth";
        if (value == null) return ProviderSpec.Auth.WIRE;
        if (value instanceof Map<?, ?> m) {
            if (m.size() != 1 || !m.containsKey("header")) {
                throw new IllegalArgumentException(where + " takes one field, header (auth: {header: api-key}); got " + m.keySet());
            }
            String header = text(m.get("header")).strip();
            if (!TOKEN.matcher(header).matches()) {
                throw new IllegalArgumentException(where + ".header '" + header + "' is not an HTTP header name");
            }
            if (wire.transport() != ProviderWire.Transport.HTTP) {
                throw new IllegalArgumentException(where + ".header: the " + wire.id() + " wire takes no provider key"
                        + (wire.transport() == ProviderWire.Transport.VERTEX ? " (Vertex AI signs in with its service account)" : ""));
            }
            return ProviderSpec.Auth.header(header);
        }
        return switch (text(value).strip().toLowerCase(java.util.Locale.ROOT)) {
            case "bearer", "wire" -> ProviderSpec.Auth.WIRE;
            case "none" -> ProviderSpec.Auth.NONE;
            default -> throw new IllegalArgumentException(where + " is '" + text(value)
                    + "': use bearer (the wire's own credentials, the default), none, or {header: NAME}");
        };
    }

    /** {@code query}: name → value, added to every upstream URL of the provider. */
    private static Map<String, String> query(String provider, ProviderWire wire, Object value) {
        String where = "providers." + provider + ".query";
        if (value == null) return Map.of();
        if (wire.isMock()) throw new IllegalArgumentException(where + ": the mock provider makes no upstream calls");
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) map(value, where)).forEach((key, v) -> {
            String k = key == null ? null : String.valueOf(key);
            if (k == null || k.isBlank() || k.chars().anyMatch(c -> "&=?#/ ".indexOf(c) >= 0)) {
                throw new IllegalArgumentException(where + ": '" + k + "' is not a query parameter name");
            }
            if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new IllegalArgumentException(where + "." + k + " must be a single value");
            }
            String resolved = text(v);
            if (resolved.isBlank()) throw new IllegalArgumentException(where + "." + k + " is empty");
            out.put(k, resolved);
        });
        return out;
    }

    /**
     * {@code paths}: per wire ({@code openai-chat}, {@code openai-responses}, {@code anthropic}), the path after the
     * base URL instead of the wire's own, with {@code {model}} for the upstream model name.
     */
    private static Map<Protocol, String> paths(String provider, ProviderWire wire, boolean responses, Object value) {
        String where = "providers." + provider + ".paths";
        if (value == null) return Map.of();
        Map<Protocol, String> out = new java.util.EnumMap<>(Protocol.class);
        ((Map<?, ?>) map(value, where)).forEach((k, v) -> {
            // named by wire id; a wire whose path depends on streaming (Gemini's method) cannot be given a fixed one
            io.canaryllm.wire.Wire named = Wires.byId(String.valueOf(k))
                    .filter(w -> w.path("m", true).equals(w.path("m", false)))
                    .orElseThrow(() -> new IllegalArgumentException(where + "." + k
                            + ": paths are named by wire, one of openai-chat, openai-responses, anthropic"));
            Protocol protocol = named.protocol();
            boolean responsesCall = protocol == Protocol.OPENAI_RESPONSES;
            boolean callable = wire.transport() == ProviderWire.Transport.HTTP
                    && (responsesCall ? wire.protocol() == Protocol.OPENAI_CHAT && responses : protocol == wire.protocol());
            if (!callable) {
                throw new IllegalArgumentException(where + "." + k + ": a provider with wire " + wire.id()
                        + (responsesCall && wire.protocol() == Protocol.OPENAI_CHAT ? " and without responses: true" : "")
                        + " makes no " + k + " calls");
            }
            if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new IllegalArgumentException(where + "." + k + " must be a path");
            }
            String path = text(v).strip();
            if (!path.startsWith("/")) throw new IllegalArgumentException(where + "." + k + " '" + path + "' must start with /");
            if (path.indexOf('#') >= 0 || path.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(where + "." + k + " '" + path + "' holds a space or #");
            }
            Matcher m = PLACEHOLDER.matcher(path);
            while (m.find()) {
                if (!m.group(1).equals("model")) {
                    throw new IllegalArgumentException(where + "." + k + " '" + path + "' has the unknown placeholder {"
                            + m.group(1) + "} (only {model}, the upstream model name)");
                }
            }
            out.put(protocol, path);
        });
        return out;
    }

    private static ModelSpec model(Map<String, Object> m, Map<String, Map<String, Object>> providers,
                                   Map<String, List<Deployment>> providerDeployments, Map<String, Object> defaults) {
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
        String provider = id.substring(0, slash);
        String upstream = m.containsKey("upstream") ? text(m.get("upstream")) : id.substring(slash + 1);
        List<Deployment> deployments = new ArrayList<>();
        if (m.get("deployments") == null) {
            providerDeployments.getOrDefault(provider, List.of()).forEach(d -> deployments.add(d.serving(upstream)));
        } else {
            for (Object d : list(m.get("deployments"), id + ".deployments")) {
                deployments.addAll(deployment(id, map(d, id + ".deployments[]"), upstream, providers, providerDeployments, defaults));
            }
            if (deployments.isEmpty()) throw new IllegalArgumentException(id + ".deployments is empty");
        }
        if (deployments.isEmpty()) throw new IllegalArgumentException("model " + id + " names unknown provider " + provider);
        return new ModelSpec(id, provider, upstream,
                (int) Long.parseLong(text(m.getOrDefault("contextWindow", 0))),
                (int) Long.parseLong(text(m.getOrDefault("maxTokens", 0))),
                List.copyOf(input),
                Boolean.parseBoolean(text(m.getOrDefault("reasoning", false))),
                price,
                list(m.getOrDefault("fallbacks", List.of()), id + ".fallbacks").stream().map(CatalogueLoader::text).toList(),
                deployments,
                m.containsKey("strategy") ? Strategy.of(text(m.get("strategy"))) : Strategy.WEIGHTED);
    }

    /** What a deployment entry holds beside the provider fields it overrides. */
    private static final java.util.Set<String> DEPLOYMENT_FIELDS = java.util.Set.of("name", "provider", "upstream", "weight");
    /** Provider fields a deployment may not change: what the provider is, not where or how it is reached. */
    private static final java.util.Set<String> FIXED_FIELDS = java.util.Set.of("wire", "anyModel");

    /**
     * One entry of a model's {@code deployments}: its provider, reached as the provider's entry says with this entry's
     * fields over it ({@code baseUrl}, {@code apiKeyEnv}, {@code region}, {@code query} …). An entry that changes no
     * provider field is the provider's own deployment (and its keys); one that does needs a {@code name}.
     */
    private static List<Deployment> deployment(String model, Map<String, Object> d, String modelUpstream,
                                               Map<String, Map<String, Object>> providers,
                                               Map<String, List<Deployment>> providerDeployments, Map<String, Object> defaults) {
        String where = model + ".deployments[]";
        String provider = string(d.get("provider"), where + ".provider");
        Map<String, Object> entry = providers.get(provider);
        if (entry == null) throw new IllegalArgumentException(where + " names unknown provider " + provider);
        String upstream = d.containsKey("upstream") ? text(d.get("upstream")) : modelUpstream;
        double weight = d.containsKey("weight") ? Double.parseDouble(text(d.get("weight"))) : 1;
        Map<String, Object> overrides = new LinkedHashMap<>(d);
        DEPLOYMENT_FIELDS.forEach(overrides::remove);
        for (String fixed : FIXED_FIELDS) {
            if (overrides.containsKey(fixed)) throw new IllegalArgumentException(where + " (" + provider + "): a deployment cannot change " + fixed);
        }
        if (overrides.isEmpty() && !d.containsKey("name")) {
            List<Deployment> own = providerDeployments.get(provider);
            return own.stream().map(o -> new Deployment(o.name(), o.provider(), upstream, weight * o.weight())).toList();
        }
        if (!d.containsKey("name")) {
            throw new IllegalArgumentException(where + " (" + provider + ") changes " + overrides.keySet() + ": give it a name");
        }
        Map<String, Object> merged = new LinkedHashMap<>(entry);
        merged.putAll(overrides);
        return deployments(text(d.get("name")), provider, merged, weight, defaults).stream()
                .map(x -> x.serving(upstream)).toList();
    }

    /** What a catalogue without {@code defaults} gets: the shipped catalogue's values. */
    private static final Map<String, Map<String, Object>> BUILT_IN = Map.of(
            "timeouts", Map.of("connectMs", 5000, "firstByteMs", 120000, "idleMs", 300000, "totalMs", 600000),
            "breaker", Map.of("slidingWindowSize", 20, "minimumNumberOfCalls", 10, "failureRateThreshold", 50, "waitSeconds", 30));

    private static Map<String, Object> merged(Map<String, Object> defaults, Map<String, Object> provider, String key) {
        Map<String, Object> out = new java.util.HashMap<>(BUILT_IN.getOrDefault(key, Map.of()));
        out.putAll(map(defaults.getOrDefault(key, Map.of()), "defaults." + key));
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
