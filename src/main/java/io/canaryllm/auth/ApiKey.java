package io.canaryllm.auth;

import io.canaryllm.auth.KeyLimits;

import java.time.Instant;

/** A stored API key, without its secret, with its limits ({@link KeyLimits#NONE} when it has none). */
public record ApiKey(String id, String name, String prefix, Instant createdAt, Instant revokedAt, KeyLimits limits) {
    public ApiKey {
        if (limits == null) limits = KeyLimits.NONE;
    }

    public boolean active() { return revokedAt == null; }
}
