package io.canaryllm.core;

/** The protocol a caller speaks, which decides the shape of every error it gets. */
public enum ClientProtocol {
    OPENAI_CHAT,
    /** Anthropic Messages (Claude Code, Anthropic SDKs). */
    ANTHROPIC,
    /** OpenAI Responses (Codex CLI, Cursor, the Responses SDK). */
    RESPONSES,
    /** Gateway-own JSON surfaces (admin, catalogue): errors use the OpenAI shape too. */
    GATEWAY;

    /** The wire this caller speaks; null for the gateway's own surfaces. */
    public Protocol wire() {
        return switch (this) {
            case OPENAI_CHAT -> Protocol.OPENAI_CHAT;
            case ANTHROPIC -> Protocol.ANTHROPIC;
            case RESPONSES -> Protocol.OPENAI_RESPONSES;
            case GATEWAY -> null;
        };
    }
}
