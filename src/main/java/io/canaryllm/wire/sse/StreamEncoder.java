package io.canaryllm.wire.sse;

import io.canaryllm.canonical.StreamEvent;

/** Canonical events → client wire SSE text. One instance per stream; not thread-safe. */
public interface StreamEncoder {

    /** Appends the frames for one event to {@code out}; ignores events after the stream finished or failed. */
    void encode(StreamEvent event, StringBuilder out);

    /** True once a terminal frame (normal end or error) was written. */
    boolean finished();
}
