package io.canaryllm.limits;

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

        Cell(long value, long ttlSeconds) {
            this.value = new AtomicLong(value);
            this.expiresAtMillis = ttlSeconds <= 0 ? Long.MAX_VALUE : System.currentTimeMillis() + ttlSeconds * 1000;
        }

        boolean live(long now) { return now < expiresAtMillis; }
    }

    @Override
    public long add(String name, long n, long ttlSeconds) {
        sweep();
        return live(name, () -> 0, ttlSeconds).value.addAndGet(n);
    }

    @Override
    public long get(String name) {
        Cell c = cells.get(name);
        return c == null || !c.live(System.currentTimeMillis()) ? 0 : c.value.get();
    }

    @Override
    public long getOrSeed(String name, LongSupplier seed, long ttlSeconds) {
        return live(name, seed, ttlSeconds).value.get();
    }

    @Override
    public void delete(String name) { cells.remove(name); }

    @Override
    public String describe() { return "memory"; }

    private Cell live(String name, LongSupplier seed, long ttlSeconds) {
        long now = System.currentTimeMillis();
        return cells.compute(name, (k, c) -> c != null && c.live(now) ? c : new Cell(seed.getAsLong(), ttlSeconds));
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        if (now < nextSweepMillis) return;
        nextSweepMillis = now + 60_000;
        cells.entrySet().removeIf(e -> !e.getValue().live(now));
    }
}
