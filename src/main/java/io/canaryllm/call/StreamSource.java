package io.canaryllm.call;

import io.canaryllm.core.GatewayError;

import java.util.Iterator;

/**
 * The body of a streamed answer, as the route's splitter walks it: each {@code next()} blocks for the next piece of
 * SSE bytes and returns null at the end. {@code hasNext()} never blocks (it only says whether the end was seen), so
 * the splitter's look-ahead cannot hold back a frame (CAMEL-NOTES.md section 2).
 */
public interface StreamSource extends Iterator<byte[]> {

    /** Stops reading and releases the upstream connection; safe from any thread, any number of times. */
    void abort();

    /** Why the stream broke, or null when it ended normally or is still running. */
    GatewayError failure();

    /** Tokens seen so far (all of them once the stream ended). */
    default io.canaryllm.canonical.Usage usage() { return io.canaryllm.canonical.Usage.ZERO; }
}
