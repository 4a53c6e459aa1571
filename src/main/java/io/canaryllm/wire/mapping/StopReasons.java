package io.canaryllm.wire.mapping;

import io.canaryllm.canonical.StopReason;

import java.util.EnumMap;
import java.util.Map;

/** Stop-reason tables, protocols.md 5.7. Unknown wire values fall back to END_TURN / "stop" (never an error). */
public final class StopReasons {
    private StopReasons() {}

    /** OpenAI Chat {@code finish_reason} → canonical (5.7; {@code function_call} is the legacy tool stop). */
    static final Map<String, StopReason> FROM_OPENAI = Map.of(
            "stop", StopReason.END_TURN,
            "length", StopReason.MAX_TOKENS,
            "tool_calls", StopReason.TOOL_USE,
            "function_call", StopReason.TOOL_USE,
            "content_filter", StopReason.CONTENT_FILTER);

    /** Canonical → OpenAI Chat {@code finish_reason} (5.7 "Upstream → Chat client"). */
    static final Map<StopReason, String> TO_OPENAI = new EnumMap<>(Map.of(
            StopReason.END_TURN, "stop",
            StopReason.STOP_SEQUENCE, "stop",
            StopReason.PAUSE, "stop",
            StopReason.MAX_TOKENS, "length",
            StopReason.TOOL_USE, "tool_calls",
            StopReason.CONTENT_FILTER, "content_filter",
            StopReason.REFUSAL, "content_filter",
            StopReason.ERROR, "stop"));

    /** Anthropic {@code stop_reason} → canonical (2.4). */
    static final Map<String, StopReason> FROM_ANTHROPIC = Map.of(
            "end_turn", StopReason.END_TURN,
            "stop_sequence", StopReason.STOP_SEQUENCE,
            "max_tokens", StopReason.MAX_TOKENS,
            "model_context_window_exceeded", StopReason.MAX_TOKENS,
            "tool_use", StopReason.TOOL_USE,
            "pause_turn", StopReason.PAUSE,
            "refusal", StopReason.REFUSAL);

    /** Canonical → Anthropic {@code stop_reason} (5.7 "Upstream → Anth client": content_filter → refusal). */
    static final Map<StopReason, String> TO_ANTHROPIC = new EnumMap<>(Map.of(
            StopReason.END_TURN, "end_turn",
            StopReason.STOP_SEQUENCE, "stop_sequence",
            StopReason.MAX_TOKENS, "max_tokens",
            StopReason.TOOL_USE, "tool_use",
            StopReason.PAUSE, "pause_turn",
            StopReason.REFUSAL, "refusal",
            StopReason.CONTENT_FILTER, "refusal",
            StopReason.ERROR, "end_turn"));

    /**
     * Gemini {@code finishReason} → canonical (5.7, 4.3). {@code STOP} with calls becomes TOOL_USE in
     * {@link #fromGemini} (pitfall 6). ERROR marks a turn the model broke: the caller must surface an error, never an
     * empty success. Unknown values are tolerated (4.3) and end the turn.
     */
    static final Map<String, StopReason> FROM_GEMINI = Map.ofEntries(
            Map.entry("STOP", StopReason.END_TURN),
            Map.entry("FINISH_REASON_UNSPECIFIED", StopReason.END_TURN),
            Map.entry("MAX_TOKENS", StopReason.MAX_TOKENS),
            Map.entry("SAFETY", StopReason.CONTENT_FILTER),
            Map.entry("RECITATION", StopReason.CONTENT_FILTER),
            Map.entry("LANGUAGE", StopReason.CONTENT_FILTER),
            Map.entry("BLOCKLIST", StopReason.CONTENT_FILTER),
            Map.entry("PROHIBITED_CONTENT", StopReason.CONTENT_FILTER),
            Map.entry("SPII", StopReason.CONTENT_FILTER),
            Map.entry("IMAGE_SAFETY", StopReason.CONTENT_FILTER),
            Map.entry("IMAGE_PROHIBITED_CONTENT", StopReason.CONTENT_FILTER),
            Map.entry("IMAGE_RECITATION", StopReason.CONTENT_FILTER),
            Map.entry("MALFORMED_FUNCTION_CALL", StopReason.ERROR),
            Map.entry("UNEXPECTED_TOOL_CALL", StopReason.ERROR),
            Map.entry("MISSING_THOUGHT_SIGNATURE", StopReason.ERROR),
            Map.entry("MALFORMED_RESPONSE", StopReason.ERROR),
            Map.entry("OTHER", StopReason.END_TURN));

    /**
     * Bedrock Converse {@code stopReason} → canonical (the ConverseStream {@code messageStop} event carries the same
     * values). A guardrail or a content filter stopped the answer: CONTENT_FILTER. {@code end_turn} with calls becomes
     * TOOL_USE in {@link #fromBedrock} (as for the other wires, the calls decide).
     */
    static final Map<String, StopReason> FROM_BEDROCK = Map.of(
            "end_turn", StopReason.END_TURN,
            "tool_use", StopReason.TOOL_USE,
            "max_tokens", StopReason.MAX_TOKENS,
            "stop_sequence", StopReason.STOP_SEQUENCE,
            "guardrail_intervened", StopReason.CONTENT_FILTER,
            "content_filtered", StopReason.CONTENT_FILTER,
            "model_context_window_exceeded", StopReason.MAX_TOKENS);

    public static StopReason fromBedrock(String stopReason, boolean sawToolCall) {
        StopReason r = stopReason == null ? StopReason.END_TURN : FROM_BEDROCK.getOrDefault(stopReason, StopReason.END_TURN);
        return withToolCalls(r, sawToolCall);
    }

    public static StopReason fromGemini(String finishReason, boolean sawToolCall) {
        StopReason r = finishReason == null ? StopReason.END_TURN : FROM_GEMINI.getOrDefault(finishReason, StopReason.END_TURN);
        return withToolCalls(r, sawToolCall);
    }

    public static StopReason fromOpenAi(String finishReason) {
        return finishReason == null ? StopReason.END_TURN : FROM_OPENAI.getOrDefault(finishReason, StopReason.END_TURN);
    }

    public static String toOpenAi(StopReason reason) {
        return TO_OPENAI.getOrDefault(reason == null ? StopReason.END_TURN : reason, "stop");
    }

    public static StopReason fromAnthropic(String stopReason) {
        return stopReason == null ? StopReason.END_TURN : FROM_ANTHROPIC.getOrDefault(stopReason, StopReason.END_TURN);
    }

    public static String toAnthropic(StopReason reason) {
        return TO_ANTHROPIC.getOrDefault(reason == null ? StopReason.END_TURN : reason, "end_turn");
    }

    /**
     * Some compat servers answer {@code finish_reason:"stop"} after tool calls (pitfall 44): the presence of a call
     * decides, so the client is told to run its tools instead of seeing a finished turn.
     */
    public static StopReason withToolCalls(StopReason reason, boolean sawToolCall) {
        if (sawToolCall && (reason == null || reason == StopReason.END_TURN)) return StopReason.TOOL_USE;
        return reason == null ? StopReason.END_TURN : reason;
    }
}
