package io.canaryllm.auth;

import io.canaryllm.core.GatewayError;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The master key at one door, with that door's allowance of wrong keys: ten a minute per client address
 * ({@link MasterKeyGuessLimiter}), then a 429 until the oldest is a minute old. The console's sign-in and the admin
 * API each hold their own, so a lock-out at one door leaves the other open.
 */
public final class GuardedMasterKey {
    private final MasterKey master;
    private final MasterKeyGuessLimiter guesses = new MasterKeyGuessLimiter(Clock.systemUTC(), 10, Duration.ofMinutes(1));

    public GuardedMasterKey(MasterKey master) { this.master = master; }

    /**
     * Passes when {@code presented} (null for none) is the master key and {@code address} has tries left. Otherwise
     * a 429 while the address has none, the right key included (else the lock-out would not stop the guessing), or
     * a 401 saying {@code refusal}, which counts as a wrong guess.
     */
    public void check(String presented, String address, String refusal) {
        long wait = guesses.waitSeconds(address);
        if (wait > 0) {
            throw new GatewayError(429, "rate_limit_error", "too_many_sign_ins", null,
                    "Too many wrong master keys from this address; try again in " + wait + " s.", Map.of("retry-after", Long.toString(wait)));
        }
        if (!master.matches(presented)) {
            guesses.failed(address);
            throw GatewayError.unauthorized(refusal);
        }
    }
}
