package io.canaryllm.catalogue;

import java.util.Optional;

/**
 * One upstream provider as the catalogue declares it.
 *
 * @param anyModel  local servers (LM Studio, Ollama) serve whatever is loaded: unknown model names are forwarded unpriced
 * @param responses the provider also serves OpenAI Responses at base URL + {@code /responses}: Responses callers pass through
 */
public record ProviderSpec(
        String name,
        Wire wire,
        String baseUrl,
        AuthStyle auth,
        Optional<String> apiKey,
        boolean anyModel,
        boolean responses,
        Timeouts timeouts,
        Breaker breaker) {

    public enum AuthStyle { BEARER, NONE }

    /** Milliseconds. firstByte covers queue + connect + headers + first body byte; idle is the longest silence inside a stream. */
    public record Timeouts(long connectMs, long firstByteMs, long idleMs, long totalMs) {}

    /** Resilience4j count-based window; waitSeconds is how long the breaker stays open. */
    public record Breaker(int slidingWindowSize, int minimumNumberOfCalls, int failureRateThreshold, int waitSeconds) {}

}
