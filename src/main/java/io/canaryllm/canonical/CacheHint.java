package io.canaryllm.canonical;

/**
 * A request to cache the prompt up to and including this part. Only some upstreams honour it; the others drop it.
 *
 * @param ttl how long to keep the entry ({@code "5m"}, {@code "1h"}) or null for the provider's default
 */
public record CacheHint(String ttl) {
    public static final CacheHint DEFAULT = new CacheHint(null);
}
