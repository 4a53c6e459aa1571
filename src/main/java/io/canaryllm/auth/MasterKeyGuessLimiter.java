package io.canaryllm.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong master keys per client address, for one door ({@link GuardedMasterKey}): after
 * {@link #maxFailures} within {@link #window} the address may not try again until the oldest of them leaves the
 * window. It slows guessing of the master key; it is per replica and per address as the gateway sees it (behind a
 * proxy, the proxy's: every user behind it shares one allowance).
 */
public final class MasterKeyGuessLimiter {
    /** Addresses kept at most: past it, the quietest are forgotten (a spray of addresses must not grow memory). */
    static final int MAX_ADDRESSES = 10_000;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxFailures;
    private final Duration window;

    public MasterKeyGuessLimiter(Clock clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** Seconds until {@code address} may try again, 0 when it may now. */
    public long waitSeconds(String address) {
        Deque<Instant> list = failures.get(address);
        if (list == null) return 0;
        synchronized (list) {
            Instant now = clock.instant();
            prune(list, now);
            if (list.size() < maxFailures) return 0;
            return Math.max(1, Duration.between(now, list.peekFirst().plus(window)).toSeconds() + 1);
        }
    }

    public void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES) failures.clear();
        Deque<Instant> list = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (list) {
            Instant now = clock.instant();
            prune(list, now);
            list.addLast(now);
        }
    }

    private void prune(Deque<Instant> list, Instant now) {
        while (!list.isEmpty() && !list.peekFirst().plus(window).isAfter(now)) list.removeFirst();
    }
}
