package io.canaryllm.upstream;

import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An upstream response as Jetty delivers it: the head, then the body pieces in a queue the relay takes from. A
 * reader that fell behind takes every piece that has arrived in one go, so a busy relay writes fewer, larger frames
 * instead of paying a wake-up and a write per piece. The end (normal or not) is a marker in the queue, so a reader
 * never waits on a finished response; timeouts and aborts end it through Jetty.
 */
final class ResponsePieces implements Response.Listener {
    private static final byte[] END = new byte[0];
    private final CompletableFuture<Response> head = new CompletableFuture<>();
    private final LinkedBlockingQueue<byte[]> pieces = new LinkedBlockingQueue<>();
    private volatile Throwable failure;

    @Override
    public void onHeaders(Response response) { head.complete(response); }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        byte[] piece = new byte[content.remaining()];
        content.get(piece);
        pieces.add(piece);
    }

    @Override
    public void onComplete(Result result) {
        if (result.isFailed()) {
            failure = result.getFailure();
            head.completeExceptionally(failure);
        }
        pieces.add(END);
    }

    Response awaitHead(long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        return head.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Blocks for what arrived next, joined; null once the response ended ({@link #failure()} says how). */
    byte[] next() throws InterruptedException {
        byte[] first = pieces.take();
        if (first == END) {
            pieces.add(END); // the end stays visible to any later call
            return null;
        }
        byte[] second = pieces.peek() == null || pieces.peek() == END ? null : pieces.poll();
        if (second == null) return first;
        ByteArrayOutputStream joined = new ByteArrayOutputStream(first.length + second.length + 256);
        joined.writeBytes(first);
        joined.writeBytes(second);
        for (byte[] more = pieces.peek(); more != null && more != END; more = pieces.peek()) {
            joined.writeBytes(pieces.poll());
        }
        return joined.toByteArray();
    }

    /** The whole body, for plain answers and error bodies. */
    byte[] readAll(int maxBytes) throws InterruptedException, IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] piece = next(); piece != null; piece = next()) {
            body.writeBytes(piece);
            if (body.size() > maxBytes) throw new IOException("upstream answer larger than " + maxBytes + " bytes");
        }
        if (failure != null) throw new IOException(failure.getMessage(), failure);
        return body.toByteArray();
    }

    Throwable failure() { return failure; }
}
