package io.canaryllm.pool;

import io.canaryllm.catalogue.Deployment;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pool knows of one deployment right now. Written by the calls on it (from any thread), read by every
 * choice: plain atomics and volatiles, no locks.
 */
public final class DeploymentState {
    /** Weight of the newest sample in the moving average: about the last five calls count. */
    static final double EWMA_ALPHA = 0.3;
    private final Deployment deployment;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong cooldowns = new AtomicLong();
    private volatile double firstByteEwmaNanos = Double.NaN;
    private volatile long lastSampleNanos;
    private volatile long coolUntilNanos;

    DeploymentState(Deployment deployment) { this.deployment = deployment; }

    public Deployment deployment() { return deployment; }

    /** One upstream call begins; the lease ends it once (the answer read, the stream ended or the call failed). */
    public Lease begin() {
        inFlight.incrementAndGet();
        return new Lease(inFlight);
    }

    /** The time from sending a request to its first byte, folded into the moving average. */
    public void firstByte(long nanos) {
        double before = firstByteEwmaNanos;
        // two calls finishing at once may each fold in their own sample over the same 'before': one is lost, which
        // a moving average can afford (a lock on the hot path would cost more than it is worth)
        firstByteEwmaNanos = Double.isNaN(before) ? nanos : before + EWMA_ALPHA * (nanos - before);
        lastSampleNanos = System.nanoTime();
    }

    /** No calls for {@code millis} (a 429: the deployment's own rate limit, or its retry-after). */
    public void coolDown(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        if (until - coolUntilNanos > 0) coolUntilNanos = until;
        cooldowns.incrementAndGet();
    }

    public boolean cooling(long now) { return coolUntilNanos - now > 0; }

    long coolUntilNanos() { return coolUntilNanos; }

    /** Milliseconds of cooldown left, 0 when the deployment takes calls. */
    public long coolingMillisLeft() { return Math.max(0, (coolUntilNanos - System.nanoTime()) / 1_000_000); }

    public int inFlight() { return inFlight.get(); }

    public long cooldowns() { return cooldowns.get(); }

    /** The moving average, NaN before the first sample or when the last one is older than {@code staleNanos}. */
    double firstByteEwma(long now, long staleNanos) {
        double v = firstByteEwmaNanos;
        return Double.isNaN(v) || now - lastSampleNanos > staleNanos ? Double.NaN : v;
    }

    /** The moving average of the time to first byte in seconds, 0 before the first sample. */
    public double firstByteEwmaSeconds() {
        double v = firstByteEwmaNanos;
        return Double.isNaN(v) ? 0 : v / 1e9;
    }

    /** An open call on a deployment: {@link #close()} ends it, once however often it is called. */
    public static final class Lease implements AutoCloseable {
        private final AtomicInteger inFlight;
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        Lease(AtomicInteger inFlight) { this.inFlight = inFlight; }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) inFlight.decrementAndGet();
        }
    }
}
