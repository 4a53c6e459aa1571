package io.canaryllm.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks keys up by hash with a one-second memory: a hot key costs one store query per second, and a revocation
 * (here or on another replica sharing the store) takes effect within one second.
 */
public final class KeyCache {
    private static final long TTL_NANOS = 1_000_000_000L;
    private final KeyStore store;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Optional<ApiKey> key, long expiresAt) {}

    public KeyCache(KeyStore store) { this.store = store; }

    public Optional<ApiKey> find(String secret) {
        String hash = ApiKeys.sha256(secret);
        long now = System.nanoTime();
        Entry e = entries.get(hash);
        if (e == null || now - e.expiresAt > 0) {
            if (entries.size() > 100_000) entries.clear(); // unknown keys must not grow the map without bound
            e = new Entry(store.findByHash(hash), now + TTL_NANOS);
            entries.put(hash, e);
        }
        return e.key;
    }

    /** Drops every cached entry so a local revocation applies at once. */
    public void invalidate() { entries.clear(); }
}
