package io.canaryllm.catalogue;

import io.canaryllm.core.Protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One upstream provider as the catalogue declares it.
 *
 * @param auth      how the provider's key is sent: the wire's own way, not at all, or in a header of the provider's
 * @param anyModel  local servers (LM Studio, Ollama) serve whatever is loaded: unknown model names are forwarded unpriced
 * @param responses the provider also serves OpenAI Responses (base URL + {@code /responses}, or its
 *                  {@code paths.openai-responses}): Responses callers pass through
 * @param query     parameters added to every upstream URL of the provider (in order; a name the path already has wins)
 * @param paths     per wire, what replaces the wire's own path after the base URL ({@code {model}}: the upstream
 *                  model name); it may carry its own query string
 * @param aws       how a provider reached through AWS (Bedrock) signs its calls; null for every other provider
 * @param http2     calls go over HTTP/2 when the provider speaks it: many streams share a few connections (h2 offered
 *                  by ALPN on https, falling back to HTTP/1.1; h2c with prior knowledge on http); off by default
 */
public record ProviderSpec(
        String name,
        ProviderWire wire,
        String baseUrl,
        Auth auth,
        Optional<String> apiKey,
        boolean anyModel,
        boolean responses,
        Map<String, String> query,
        Map<Protocol, String> paths,
        Timeouts timeouts,
        Breaker breaker,
        Aws aws,
        boolean http2) {

    public enum AuthStyle {
        /** The wire's own credentials: {@code Authorization: Bearer} (OpenAI), {@code x-api-key} (Anthropic) … */
        WIRE,
        /** No key at all, even when one is configured (a local server). */
        NONE,
        /** The key as it is in {@link Auth#header()}; the wire's vendor headers are still written. */
        HEADER
    }

    /** @param header the header carrying the key when {@code style} is {@link AuthStyle#HEADER}, else null */
    public record Auth(AuthStyle style, String header) {
        public static final Auth WIRE = new Auth(AuthStyle.WIRE, null);
        public static final Auth NONE = new Auth(AuthStyle.NONE, null);

        public static Auth header(String name) { return new Auth(AuthStyle.HEADER, name); }
    }

    /**
     * A provider reached through AWS: its region (the endpoint's and the signature's), the variables holding its
     * access key, secret and session token, and the shared-files profile used when those are unset (null:
     * {@code AWS_PROFILE}, else {@code default}).
     */
    public record Aws(String region, String accessKeyEnv, String secretKeyEnv, String sessionTokenEnv, String profile) {}

    /** Milliseconds. firstByte covers queue + connect + headers + first body byte; idle is the longest silence inside a stream. */
    public record Timeouts(long connectMs, long firstByteMs, long idleMs, long totalMs) {}

    /** Resilience4j count-based window; waitSeconds is how long the breaker stays open. */
    public record Breaker(int slidingWindowSize, int minimumNumberOfCalls, int failureRateThreshold, int waitSeconds) {}

    public ProviderSpec {
        query = query.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
        paths = paths.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(paths));
    }

    /** The catalogue's path for calls on {@code protocol}, {@code {model}} filled in; empty when the wire's own applies. */
    public Optional<String> path(Protocol protocol, String upstreamModel) {
        String template = paths.get(protocol);
        return template == null ? Optional.empty() : Optional.of(template.replace("{model}", upstreamModel));
    }

    /** {@code url} with the provider's {@link #query} parameters added, except those whose name it already has. */
    public String withQuery(String url) {
        if (query.isEmpty()) return url;
        int q = url.indexOf('?');
        Set<String> present = new HashSet<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                present.add(eq < 0 ? pair : pair.substring(0, eq));
            }
        }
        StringBuilder out = new StringBuilder(url);
        char sep = q < 0 ? '?' : (url.endsWith("?") || url.endsWith("&") ? 0 : '&');
        for (Map.Entry<String, String> e : query.entrySet()) {
            String name = encode(e.getKey());
            if (present.contains(name)) continue;
            if (sep != 0) out.append(sep);
            out.append(name).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return out.toString();
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
