package io.canaryllm.catalogue;

import java.util.List;
import java.util.Optional;

/**
 * A model the gateway serves.
 *
 * @param id       the public id, {@code provider/name}
 * @param upstream the name the provider knows it by
 * @param price    list price per token before markup; empty for unpriced (local wildcard) models
 * @param fallbacks models to try, in order, when this one's provider fails or is suspended
 */
public record ModelSpec(
        String id,
        String provider,
        String upstream,
        int contextWindow,
        int maxTokens,
        List<String> input,
        boolean reasoning,
        Optional<Prices> price,
        List<String> fallbacks) {}
