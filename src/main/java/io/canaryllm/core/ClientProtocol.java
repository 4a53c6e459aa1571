package io.canaryllm.core;

/** The protocol a caller speaks, which decides the shape of every error it gets. */
public enum ClientProtocol {
    OPENAI_CHAT,
    /** Anthropic Messages (Claude Code, Anthropic SDKs). */
    ANTHROPIC,
    /** OpenAI Responses (Codex CLI, Cursor, the Responses SDK). */
    RESPONSES,
    /** Gateway-own JSON surfaces (admin, catalogue): errors use the OpenAI shape too. */
    GATEWAY
}
