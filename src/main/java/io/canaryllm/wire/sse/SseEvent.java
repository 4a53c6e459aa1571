package io.canaryllm.wire.sse;

/** One server-sent event: {@code event} is null when the frame had no {@code event:} line (OpenAI Chat). */
public record SseEvent(String event, String data) {}
