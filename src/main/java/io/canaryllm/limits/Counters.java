package io.canaryllm.limits;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Named counters the limits are enforced with: requests and tokens per key and minute, spend per key and budget
 * period. In memory for one gateway ({@link MemoryCounters}); in Redis when several replicas share one limit
 * ({@link RedisCounters}). A call's check is one {@link #batch} and its counting another, so a call costs Redis two
 * round trips however many limits its key has.
 */
public interface Counters extends AutoCloseable {
    /** What a read (or an add-if-present) of a counter that does not exist answers; counters are never negative. */
    long ABSENT = -1;

    /** One operation of a {@link #batch}. */
    sealed interface Op {
        String name();
    }

    /** The counter's value, or {@link #ABSENT}. */
    record Read(String name) implements Op {}

    /** Adds {@code n} and answers the new value; a counter this creates lives {@code ttlSeconds} (0: for ever). */
    record Add(String name, long n, long ttlSeconds) implements Op {}

    /**
     * Adds {@code n} when the counter exists (answers 0), else leaves it absent (answers {@link #ABSENT}): a budget's
     * spend must start from the ledger, never from nothing.
     */
    record AddIfPresent(String name, long n) implements Op {}

    /** The operations, in order, in one exchange with the store; one answer per operation. */
    long[] batch(List<Op> ops);

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
