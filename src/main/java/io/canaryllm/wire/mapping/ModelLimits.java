package io.canaryllm.wire.mapping;

/**
 * What a request codec must know about the target model.
 *
 * @param maxOutputTokens   the model's output cap: default for Anthropic's required {@code max_tokens}, and the clamp
 * @param supportsReasoning whether the model takes a reasoning/thinking setting at all
 */
public record ModelLimits(int maxOutputTokens, boolean supportsReasoning) {}
