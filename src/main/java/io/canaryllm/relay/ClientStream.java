package io.canaryllm.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of a stream: the Vert.x response, written frame by frame from the route's worker thread.
 * Vert.x writes are thread-safe and go out at once (no 16 KiB buffering as with an InputStream body). A slow
 * reader makes {@link #write} wait for the write queue to drain instead of piling frames up in memory.
 */
public final class ClientStream {
    private static final long DRAIN_WAIT_MS = 30_000;
    /** Names the model that served the call on every answer. */
    public static final String SERVED_MODEL_HEADER = "x-canaryllm-model";
    private final HttpServerResponse response;
    private volatile boolean gone;
    private boolean atFrameBoundary = true;

    ClientStream(HttpServerResponse response) { this.response = response; }

    private Runnable onFirstWrite;

    /** @param servedModel the model that answers (a fallback may differ from the one asked for) */
    void start(Runnable onClientGone, String servedModel, java.util.Map<String, String> headers, Runnable onFirstWrite) {
        this.onFirstWrite = onFirstWrite;
        response.setStatusCode(200);
        response.putHeader(SERVED_MODEL_HEADER, servedModel);
        headers.forEach(response::putHeader);
        response.setChunked(true);
        response.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        response.closeHandler(v -> {
            gone = true;
            onClientGone.run();
        });
    }

    /** Writes one piece; false when the caller has gone away. */
    boolean write(byte[] bytes) {
        if (gone || response.closed()) {
            gone = true;
            return false;
        }
        response.write(Buffer.buffer(bytes));
        if (onFirstWrite != null) {
            onFirstWrite.run();
            onFirstWrite = null;
        }
        if (bytes.length > 0) {
            atFrameBoundary = bytes.length >= 2 && bytes[bytes.length - 1] == '\n' && bytes[bytes.length - 2] == '\n';
        }
        if (response.writeQueueFull()) awaitDrain();
        return !gone;
    }

    private void awaitDrain() {
        CountDownLatch drained = new CountDownLatch(1);
        response.drainHandler(v -> drained.countDown());
        if (!response.writeQueueFull()) return;
        try {
            if (!drained.await(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS)) gone = true; // a reader stuck that long is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = true;
        }
    }

    /** Whether the last write ended an SSE frame; an error frame written mid-frame must first close it. */
    boolean atFrameBoundary() { return atFrameBoundary; }

    boolean gone() { return gone || response.closed(); }

    /** Ends the response, also when the caller has gone: platform-http then has nothing left to write. */
    void end() {
        if (response.ended()) return;
        try {
            response.end();
        } catch (IllegalStateException alreadyClosed) {
            // the connection is gone; nothing to send
        }
    }
}
