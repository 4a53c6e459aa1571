package io.canaryllm.limits;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Counters in this process: right for one gateway, and the default. Expired counters are swept once a minute. */
public final class MemoryCounters implements Counters {
    private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
    private volatile long nextSweepMillis;

    private static final class Cell {
        final AtomicLong value;
        final long expiresAtMillis;

        Cell(long value, long ttlSeconds, long now) {
            this.value = new AtomicLong(value);
            this.expiresAtMillis = ttlSeconds <= 0 ? Long.MAX_VALUE : now + ttlSeconds * 1000;
        }

        boolean live(long now) { return now < expiresAtMillis; }
    }

    @Override
    public long[] batch(List<Op> ops) {
        long now = System.currentTimeMillis();
        sweep(now);
        long[] out = new long[ops.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (ops.get(i)) {
                case Read r -> {
                    Cell c = cells.get(r.name());
                    yield c == null || !c.live(now) ? ABSENT : c.value.get();
                }
                case Add a -> live(a.name(), () -> 0, a.ttlSeconds(), now).value.addAndGet(a.n());
                case AddIfPresent p -> {
                    Cell c = cells.get(p.name());
                    if (c == null || !c.live(now)) yield ABSENT;
                    c.value.addAndGet(p.n());
                    yield 0;
                }
            };
        }
        return out;
    }

    @Override
    public long getOrSeed(String name, LongSupplier seed, long ttlSeconds) {
        long now = System.currentTimeMillis();
        Cell c = cells.get(name);
        if (c != null && c.live(now)) return c.value.get();
        // the seed is a database query: asked outside the map's lock; if two callers seed at once the first wins
        long seeded = seed.getAsLong();
        return live(name, () -> seeded, ttlSeconds, now).value.get();
    }

    @Override
    public void delete(String name) { cells.remove(name); }

    @Override
    public String describe() { return "memory"; }

    private Cell live(String name, LongSupplier seed, long ttlSeconds, long now) {
        return cells.compute(name, (k, c) -> c != null && c.live(now) ? c : new Cell(seed.getAsLong(), ttlSeconds, now));
    }

    private void sweep(long now) {
        if (now < nextSweepMillis) return;
        nextSweepMillis = now + 60_000;
        cells.entrySet().removeIf(e -> !e.getValue().live(now));
    }
}
