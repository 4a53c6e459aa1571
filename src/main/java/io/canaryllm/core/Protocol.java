package io.canaryllm.core;

/**
 * The wire protocols the gateway speaks, on either side of a call: what a client sends and what an upstream answers.
 * Translators name their two ends with it; a wire package names another vendor only through this id (for example to
 * mark whose thinking signature a block carries), never by importing that vendor's package.
 */
public enum Protocol {
    OPENAI_CHAT,
    /** OpenAI Responses (Codex CLI, Cursor, the Responses SDK). */
    OPENAI_RESPONSES,
    ANTHROPIC,
    /** Google Gemini, on AI Studio or Vertex AI (upstream only: no client speaks it). */
    GEMINI,
    /** AWS Bedrock Converse / ConverseStream (upstream only; its streams are AWS event-stream frames). */
    BEDROCK
}
