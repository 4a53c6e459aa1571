package io.canaryllm.limits;

import java.util.function.LongSupplier;

/**
 * Named counters the limits are enforced with: requests and tokens per key and minute, spend per key and budget
 * period. In memory for one gateway ({@link MemoryCounters}); in Redis when several replicas share one limit
 * ({@link RedisCounters}).
 */
public interface Counters extends AutoCloseable {
    /** Adds {@code n} and returns the new value; a new counter lives {@code ttlSeconds} (0: for ever). */
    long add(String name, long n, long ttlSeconds);

    /** The counter's value; 0 when it does not exist. */
    long get(String name);

    /**
     * The counter's value, created from {@code seed} when it does not exist yet (a budget's spend so far, read from
     * the usage ledger after a restart, a flushed Redis or a changed budget).
     */
    long getOrSeed(String name, LongSupplier seed, long ttlSeconds);

    void delete(String name);

    /** Where the counters live, for the logs. */
    String describe();

    @Override
    default void close() {}
}
