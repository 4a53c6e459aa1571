package io.canaryllm.canonical;

/**
 * Who speaks a turn. The system prompt is not a turn ({@link ChatRequest#system()}), and tool results travel as
 * {@link Part.ToolResult} parts of a user turn, the way block-based protocols carry them.
 */
public enum Role {
    USER,
    ASSISTANT,
    /**
     * An instruction at its own place in the conversation (Anthropic's beta {@code role: "system"} message, which Claude
     * Code sends for non-Claude models): text only. A wire with a positional system message keeps it there; a wire
     * without one folds it into the system prompt ({@link ChatRequest#withSystemTurnsFolded()}); it is never a user turn.
     */
    SYSTEM
}
