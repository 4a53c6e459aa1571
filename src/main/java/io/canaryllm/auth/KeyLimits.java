package io.canaryllm.auth;

import java.time.Instant;
import java.util.List;

/**
 * What one API key may do; every part is optional (null: no limit).
 *
 * @param models    patterns of the model ids the key may call ({@code openai/*}, {@code anthropic/claude-*}); null: all
 * @param rpm       requests per minute
 * @param tpm       tokens (input + output) per minute
 * @param budget    billed spend per period
 * @param expiresAt when the key stops working
 */
public record KeyLimits(List<String> models, Integer rpm, Long tpm, Budget budget, Instant expiresAt) {
    public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null);

    public KeyLimits {
        models = models == null || models.isEmpty() ? null : List.copyOf(models);
    }

    /** True when a call needs a check before its upstream call (expiry is checked when the key is presented). */
    public boolean checksCalls() { return models != null || rpm != null || tpm != null || budget != null; }

    public boolean expired(Instant now) { return expiresAt != null && !now.isBefore(expiresAt); }

    public boolean allowsModel(String modelId) {
        if (models == null) return true;
        for (String pattern : models) if (ModelPattern.matches(pattern, modelId)) return true;
        return false;
    }

    public KeyLimits withModels(List<String> v) { return new KeyLimits(v, rpm, tpm, budget, expiresAt); }
    public KeyLimits withRpm(Integer v) { return new KeyLimits(models, v, tpm, budget, expiresAt); }
    public KeyLimits withTpm(Long v) { return new KeyLimits(models, rpm, v, budget, expiresAt); }
    public KeyLimits withBudget(Budget v) { return new KeyLimits(models, rpm, tpm, v, expiresAt); }
    public KeyLimits withExpiresAt(Instant v) { return new KeyLimits(models, rpm, tpm, budget, v); }
}
