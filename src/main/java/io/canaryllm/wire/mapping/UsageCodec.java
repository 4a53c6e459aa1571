package io.canaryllm.wire.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

/**
 * Usage arithmetic, protocols.md 5.8. Canonical input includes cache reads and writes (as OpenAI's
 * {@code prompt_tokens} does); Anthropic's {@code input_tokens} excludes them (pitfall 24).
 */
public final class UsageCodec {
    private UsageCodec() {}

    public static Usage fromOpenAi(JsonNode u) {
        if (u == null || !u.isObject()) return Usage.ZERO;
        JsonNode prompt = u.path("prompt_tokens_details");
        return new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
                prompt.path("cached_tokens").asLong(0), prompt.path("cache_write_tokens").asLong(0),
                u.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    public static ObjectNode toOpenAi(Usage usage) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", usage.input());
        u.put("completion_tokens", usage.output());
        u.put("total_tokens", usage.total());
        ObjectNode prompt = u.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", usage.cacheRead());
        if (usage.cacheWrite() > 0) prompt.put("cache_write_tokens", usage.cacheWrite());
        u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
        return u;
    }

    /** Reads an Anthropic usage object; fields it lacks are taken from {@code previous} (stream deltas are partial). */
    public static Usage fromAnthropic(JsonNode u, Usage previous) {
        if (u == null || !u.isObject()) return previous;
        long cacheRead = u.has("cache_read_input_tokens") ? u.path("cache_read_input_tokens").asLong(0) : previous.cacheRead();
        long cacheWrite = u.has("cache_creation_input_tokens") ? u.path("cache_creation_input_tokens").asLong(0) : previous.cacheWrite();
        long input = u.has("input_tokens")
                ? u.path("input_tokens").asLong(0) + cacheRead + cacheWrite
                : previous.input() - previous.cacheRead() - previous.cacheWrite() + cacheRead + cacheWrite;
        long output = u.has("output_tokens") ? u.path("output_tokens").asLong(0) : previous.output();
        long reasoning = u.path("output_tokens_details").has("thinking_tokens")
                ? u.path("output_tokens_details").path("thinking_tokens").asLong(0) : previous.reasoning();
        return new Usage(input, output, cacheRead, cacheWrite, reasoning);
    }

    public static ObjectNode toAnthropic(Usage usage) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("input_tokens", anthropicInput(usage));
        u.put("cache_creation_input_tokens", usage.cacheWrite());
        u.put("cache_read_input_tokens", usage.cacheRead());
        u.put("output_tokens", usage.output());
        return u;
    }

    /**
     * Gemini {@code usageMetadata} (5.8, 4.3): {@code promptTokenCount} already includes the cached tokens, and
     * {@code toolUsePromptTokenCount} is prompt too; {@code thoughtsTokenCount} is separate from
     * {@code candidatesTokenCount}, so output = candidates + thoughts, or total − prompt − toolUsePrompt when the total
     * is given (some Gemini 3 deployments count thoughts inside candidates). Each value counted once. Streams carry it
     * cumulatively: the caller keeps the last one, never a sum (pitfall 40).
     */
    /**
     * Responses usage: input includes cached tokens, output includes reasoning (protocols.md 3.3). Cache writes are
     * the gateway's own {@code input_tokens_details.cache_write_tokens}, written when it translates an upstream that
     * reports them (Anthropic's {@code cache_creation_input_tokens}), as in OpenAI Chat usage: without it they were
     * billed as plain input.
     */
    public static Usage fromResponses(JsonNode u) {
        JsonNode in = u.path("input_tokens_details");
        return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                in.path("cached_tokens").asLong(), in.path("cache_write_tokens").asLong(),
                u.path("output_tokens_details").path("reasoning_tokens").asLong());
    }

    public static Usage fromGemini(JsonNode u) {
        if (u == null || !u.isObject()) return Usage.ZERO;
        long prompt = u.path("promptTokenCount").asLong(0);
        long toolPrompt = u.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        long output = u.path("candidatesTokenCount").asLong(0) + thoughts;
        if (u.has("totalTokenCount")) output = Math.max(thoughts, u.path("totalTokenCount").asLong(0) - prompt - toolPrompt);
        return new Usage(prompt + toolPrompt, output, u.path("cachedContentTokenCount").asLong(0), 0, thoughts);
    }

    /**
     * Bedrock Converse {@code usage} (the plain answer's, or the {@code metadata} event's): {@code inputTokens} is the
     * uncached part of the prompt, as Anthropic's {@code input_tokens} (cache reads and writes are counted apart in
     * {@code cacheReadInputTokens} / {@code cacheWriteInputTokens}), so canonical input adds them back.
     */
    public static Usage fromBedrock(JsonNode u) {
        if (u == null || !u.isObject()) return Usage.ZERO;
        long cacheRead = u.path("cacheReadInputTokens").asLong(0);
        long cacheWrite = u.path("cacheWriteInputTokens").asLong(0);
        return new Usage(u.path("inputTokens").asLong(0) + cacheRead + cacheWrite, u.path("outputTokens").asLong(0),
                cacheRead, cacheWrite, 0);
    }

    /** Anthropic counts only the uncached part of the prompt as input; never negative. */
    public static long anthropicInput(Usage usage) {
        return Math.max(0, usage.input() - usage.cacheRead() - usage.cacheWrite());
    }
}
