package io.canaryllm.wire.sse;

import java.util.List;

/**
 * Splits an upstream stream's bytes into events, as they arrive: SSE text ({@link SseParser}) for most wires, binary
 * frames for others (Bedrock's AWS event stream). Each event reaches the wire's {@link StreamDecoder} as an
 * {@link SseEvent}: its name and its data. One per stream; not thread-safe.
 */
public interface StreamFraming {

    /** The events completed by these bytes (possibly none). */
    List<SseEvent> feed(byte[] bytes);

    /** The stream ended: what is left (a last event without its terminator), or nothing. */
    List<SseEvent> finish();
}
