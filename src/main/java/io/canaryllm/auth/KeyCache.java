package io.canaryllm.auth;

import io.canaryllm.core.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Looks keys up by hash with a one-second memory: a hot key costs one store query per second, and a revocation
 * (here or on another replica sharing the store) takes effect within one second.
 *
 * <p>Stale-if-error: when the store fails (a database restart, a network cut), a key looked up in the last ten
 * minutes is answered from its last known entry, so callers keep being served through a short outage; a key with
 * no entry (or an older one) gets a 503 {@code store_unavailable} with {@code retry-after: 1}, never a 500. While the
 * store is known to be down, only one lookup a second goes to it (the probe; it may wait up to the pool's
 * connection timeout), every other one is answered from memory at once, so an outage does not pile requests up
 * on the pool. Once a probe succeeds the one-second TTL applies again, revocations included.
 */
public final class KeyCache {
    private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);
    private static final long TTL_NANOS = 1_000_000_000L;
    /** How long the store is left alone after a failure before the next probe. */
    private static final long RETRY_NANOS = 1_000_000_000L;
    /** How old a last known entry may be to still be served while the store fails. */
    static final long MAX_STALE_NANOS = 10 * 60 * 1_000_000_000L;
    private final KeyStore store;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** True from a failed lookup until a successful one. */
    private volatile boolean storeDown;
    /** While {@link #storeDown}: when the next probe may go to the store (claimed by CAS, one probe at a time). */
    private final AtomicLong probeAt = new AtomicLong();

    /** @param fetchedAt when the store was asked (clock nanos); {@code expiresAt} is {@code fetchedAt + TTL} */
    private record Entry(Optional<ApiKey> key, long fetchedAt, long expiresAt) {}

    public KeyCache(KeyStore store) { this(store, System::nanoTime); }

    /** @param clock nanosecond clock ({@link System#nanoTime()}; a test's own) */
    KeyCache(KeyStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The key with this secret, or empty when there is none.
     *
     * @throws GatewayError 503 {@code store_unavailable} when the store fails and no usable entry is known
     */
    public Optional<ApiKey> find(String secret) {
        String hash = ApiKeys.sha256(secret);
        long now = clock.getAsLong();
        Entry e = entries.get(hash);
        if (e != null && now - e.expiresAt <= 0) return e.key;
        if (storeDown && !claimProbe(now)) return stale(e, now); // known outage: answer from memory at once
        Optional<ApiKey> key;
        try {
            key = store.findByHash(hash);
        } catch (RuntimeException failure) {
            failed(failure);
            return stale(e, now);
        }
        recovered();
        if (entries.size() > 100_000) entries.clear(); // unknown keys must not grow the map without bound
        entries.put(hash, new Entry(key, now, now + TTL_NANOS));
        return key;
    }

    /** Drops every cached entry so a local revocation applies at once. */
    public void invalidate() { entries.clear(); }

    private boolean claimProbe(long now) {
        long at = probeAt.get();
        return now - at >= 0 && probeAt.compareAndSet(at, now + RETRY_NANOS);
    }

    /** The last known entry if it is recent enough, else a 503 in the caller's protocol (see ErrorResponder). */
    private static Optional<ApiKey> stale(Entry e, long now) {
        if (e != null && now - e.fetchedAt <= MAX_STALE_NANOS) return e.key;
        throw new GatewayError(503, "server_error", "store_unavailable", null,
                "The gateway cannot check API keys right now (its store is unavailable). Retry shortly.",
                Map.of("retry-after", "1"));
    }

    private void failed(RuntimeException failure) {
        probeAt.set(clock.getAsLong() + RETRY_NANOS);
        if (!storeDown) {
            storeDown = true;
            LOG.warn("key store unavailable ({}): serving keys seen in the last {} minutes from memory, 503 for others",
                    failure.getMessage(), MAX_STALE_NANOS / 60_000_000_000L);
        }
    }

    private void recovered() {
        if (storeDown) {
            storeDown = false;
            LOG.info("key store reachable again");
        }
    }
}
