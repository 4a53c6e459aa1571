package io.canaryllm.upstream;

import io.canaryllm.config.Settings;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long to wait before calling an upstream again (protocols.md 6.7): only before anything reached the
 * caller (the call has not answered yet), only for transient failures (429 but not an exhausted quota, 408, 409,
 * 5xx, 529, timeouts, connection errors), at most {@code CANARYLLM_RETRIES} times, with exponential backoff and
 * jitter, honouring {@code retry-after} unless it asks for longer than {@code CANARYLLM_RETRY_MAX_DELAY_MS}.
 */
public record RetryPolicy(int maxRetries, long baseDelayMs, long maxDelayMs) {

    /** No second attempt here: a model call's retries are the pool's (http.NextDeployment). */
    public static final RetryPolicy NONE = new RetryPolicy(0, 0, 0);

    public static RetryPolicy fromSettings() {
        return new RetryPolicy((int) Settings.getLong("CANARYLLM_RETRIES", 2),
                Settings.getLong("CANARYLLM_RETRY_BASE_MS", 500), Settings.getLong("CANARYLLM_RETRY_MAX_DELAY_MS", 8_000));
    }

    /** The wait before retry number {@code attempt} (0-based), or -1 when this failure is not to be retried. */
    public long delayMs(UpstreamFailure failure, int attempt) {
        if (attempt >= maxRetries || !retryable(failure)) return -1;
        long retryAfter = retryAfterMs(failure.retryAfter());
        if (retryAfter >= 0) return retryAfter <= maxDelayMs ? retryAfter : -1;
        long exponential = Math.min(maxDelayMs, baseDelayMs << Math.min(attempt, 20));
        // "equal jitter": half fixed, half random, so concurrent callers spread out but never retry at once
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    static boolean retryable(UpstreamFailure f) {
        return switch (f.kind()) {
            case TIMEOUT, UNREACHABLE, SATURATED -> true;
            case HTTP_STATUS -> switch (f.status()) {
                case 408, 409, 500, 502, 503, 504, 529 -> true;
                case 429 -> !quotaExhausted(f.body());
                default -> false;
            };
        };
    }

    /** A spent quota or billing limit does not clear by waiting (OpenAI insufficient_quota, Anthropic billing_error). */
    private static boolean quotaExhausted(byte[] body) {
        if (body == null) return false;
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.contains("insufficient_quota") || text.contains("billing_error");
    }

    /** {@code retry-after}: seconds or an HTTP date; -1 when absent or unreadable. */
    public static long retryAfterMs(String value) {
        if (value == null || value.isBlank()) return -1;
        try {
            return Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                return Math.max(0, Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
            } catch (RuntimeException notADate) {
                return -1;
            }
        }
    }
}
