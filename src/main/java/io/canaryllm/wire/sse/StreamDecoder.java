package io.canaryllm.wire.sse;

import io.canaryllm.canonical.StreamEvent;

import java.util.List;

/** Upstream wire events → canonical events. One instance per stream; not thread-safe. */
public interface StreamDecoder {

    List<StreamEvent> onEvent(SseEvent event);

    /** The upstream closed: a stream that never reached its terminal marker yields a {@link StreamEvent.StreamError}. */
    List<StreamEvent> onEnd();

    /** What every decoder reports for a stream cut off before its terminal marker (protocols.md 5.11). */
    static StreamEvent.StreamError endedEarly() {
        return new StreamEvent.StreamError(502, null, "The upstream stream ended before the answer was complete.");
    }
}
