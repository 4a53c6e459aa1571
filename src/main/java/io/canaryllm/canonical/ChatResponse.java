package io.canaryllm.canonical;

import java.util.List;

/** A whole (non-streamed) answer. */
public record ChatResponse(String id, String model, List<Part> parts, StopReason stopReason, Usage usage) {
    public ChatResponse {
        parts = List.copyOf(parts);
        usage = usage == null ? Usage.ZERO : usage;
    }
}
