package io.canaryllm.canonical;

/**
 * One step of a streamed answer. Decoders guarantee: {@link MessageStart} first; parts never interleave (each
 * {@link PartStart} is followed by its deltas and its {@link PartStop} before the next part starts); part indices
 * count up from 0; then exactly one {@link MessageStop} or one {@link StreamError}, and nothing after it.
 */
public sealed interface StreamEvent {

    enum PartKind { TEXT, THINKING, TOOL_CALL }

    /** @param usage what is known at the start (input tokens for some upstreams, zeros for others) */
    record MessageStart(String id, String model, Usage usage) implements StreamEvent {}

    /** @param id the tool call id ({@code TOOL_CALL} only), @param name the tool name ({@code TOOL_CALL} only) */
    record PartStart(int index, PartKind kind, String id, String name) implements StreamEvent {}

    record TextDelta(int index, String text) implements StreamEvent {}

    record ThinkingDelta(int index, String text) implements StreamEvent {}

    record SignatureDelta(int index, String signature) implements StreamEvent {}

    /** A piece of the arguments JSON text; pieces concatenate, in order, to the whole arguments. */
    record ToolArgsDelta(int index, String fragment) implements StreamEvent {}

    record PartStop(int index) implements StreamEvent {}

    /** Cumulative usage seen so far (replaces, never adds to, the previous value). */
    record UsageUpdate(Usage usage) implements StreamEvent {}

    record MessageStop(StopReason reason, Usage usage) implements StreamEvent {}

    /**
     * The stream failed after it started.
     *
     * @param status an HTTP-like status describing the failure (502 upstream broke, 529 overloaded …)
     * @param kind   the upstream's error type when it gave one, else null
     */
    record StreamError(int status, String kind, String message) implements StreamEvent {}
}
