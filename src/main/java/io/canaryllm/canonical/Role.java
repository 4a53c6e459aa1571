package io.canaryllm.canonical;

/**
 * Who speaks a turn. System text is not a turn ({@link ChatRequest#system()}), and tool results travel as
 * {@link Part.ToolResult} parts of a user turn, the way block-based protocols carry them.
 */
public enum Role { USER, ASSISTANT }
