package io.canaryllm.auth;

import java.time.Instant;

/** A stored API key, without its secret. */
public record ApiKey(String id, String name, String prefix, Instant createdAt, Instant revokedAt) {
    public boolean active() { return revokedAt == null; }
}
