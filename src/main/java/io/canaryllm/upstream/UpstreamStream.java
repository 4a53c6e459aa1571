package io.canaryllm.upstream;

import io.canaryllm.http.GatewayError;
import io.canaryllm.relay.StreamSource;
import org.eclipse.jetty.client.Request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An open upstream SSE response relayed as raw bytes: whatever the upstream flushed is forwarded as one piece,
 * never parsed (the passthrough costs no JSON work per event). It still watches the end: an OpenAI-compatible
 * stream that closes without {@code data: [DONE]} was cut off and must not look like a normal finish.
 */
final class UpstreamStream implements StreamSource {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private final String provider;
    private final Request request;
    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private byte[] pending;
    private volatile boolean finished;
    private volatile GatewayError failure;
    /** The last bytes relayed, to find the end marker even when it straddles two reads. */
    private final byte[] tail = new byte[32];
    private int tailLength;

    UpstreamStream(String provider, Request request, InputStream in, byte[] firstChunk) {
        this.provider = provider;
        this.request = request;
        this.in = in;
        this.pending = firstChunk;
        remember(firstChunk);
    }

    @Override
    public boolean hasNext() { return !finished; }

    @Override
    public byte[] next() {
        if (pending != null) {
            byte[] first = pending;
            pending = null;
            return first;
        }
        if (finished) return null;
        try {
            int n = in.read(buffer);
            if (n < 0) {
                finished = true;
                if (!endsWithDone()) {
                    failure = new GatewayError(502, "server_error", "upstream_stream_truncated", null,
                            provider + " closed the stream before it was complete.", Map.of());
                }
                return null;
            }
            byte[] piece = Arrays.copyOf(buffer, n);
            remember(piece);
            return piece;
        } catch (IOException e) {
            if (!finished) failure = midStreamFailure(e);
            finished = true;
            request.abort(e);
            return null;
        }
    }

    private GatewayError midStreamFailure(IOException e) {
        boolean idle = e.getCause() instanceof TimeoutException || e instanceof java.io.InterruptedIOException;
        return idle
                ? new GatewayError(504, "server_error", "upstream_timeout", null, provider + " went silent mid-stream.", Map.of())
                : new GatewayError(502, "server_error", "upstream_stream_broken", null, provider + " broke the stream: " + e.getMessage(), Map.of());
    }

    @Override
    public void abort() {
        if (finished) return;
        finished = true;
        request.abort(new IOException("relay ended before the upstream stream"));
    }

    @Override
    public GatewayError failure() { return failure; }

    private void remember(byte[] piece) {
        int keep = Math.min(piece.length, tail.length);
        int shift = Math.min(tailLength, tail.length - keep);
        System.arraycopy(tail, tailLength - shift, tail, 0, shift);
        System.arraycopy(piece, piece.length - keep, tail, shift, keep);
        tailLength = shift + keep;
    }

    private boolean endsWithDone() {
        outer:
        for (int i = 0; i + DONE.length <= tailLength; i++) {
            for (int j = 0; j < DONE.length; j++) if (tail[i + j] != DONE[j]) continue outer;
            return true;
        }
        return false;
    }
}
