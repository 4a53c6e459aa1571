package io.canaryllm.upstream;

import io.canaryllm.core.GatewayError;
import io.canaryllm.call.StreamSource;
import org.eclipse.jetty.client.Request;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An open upstream SSE response relayed as raw bytes: whatever the upstream sent is forwarded as it comes, never
 * parsed (the passthrough does no JSON work per event). It still watches the end: a stream that closes without
 * its wire's end marker ({@code [DONE]}, {@code message_stop}) was cut off and must not look like a normal finish.
 */
final class UpstreamStream implements StreamSource {
    private final String provider;
    private final Request request;
    private final ResponsePieces pieces;
    private final byte[] endMarker;
    private final io.canaryllm.metering.UsageTap usageTap;
    /** The deployment's open-call count: this stream counts until it ends. */
    private final io.canaryllm.pool.DeploymentState.Lease lease;
    private byte[] pending;
    private volatile boolean finished;
    private volatile boolean aborted;
    private volatile GatewayError failure;
    /** The last bytes relayed, to find the end marker even when it straddles two pieces. */
    private final byte[] tail = new byte[64];
    private int tailLength;

    UpstreamStream(String provider, Request request, ResponsePieces pieces, byte[] firstPiece, byte[] endMarker,
                   io.canaryllm.metering.UsageTap usageTap,
                   io.canaryllm.pool.DeploymentState.Lease lease) {
        this.lease = lease;
        this.provider = provider;
        this.endMarker = endMarker;
        this.usageTap = usageTap;
        this.request = request;
        this.pieces = pieces;
        this.pending = firstPiece;
        remember(firstPiece);
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
            byte[] piece = pieces.next();
            if (piece != null) {
                remember(piece);
                return piece;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        }
        finished = true;
        release();
        if (!aborted) {
            Throwable broken = pieces.failure();
            if (broken != null) failure = midStreamFailure(broken);
            else if (endMarker.length > 0 && !endsWithMarker()) failure = new GatewayError(502, "server_error", "upstream_stream_truncated", null,
                    provider + " closed the stream before it was complete.", Map.of());
        }
        return null;
    }

    private GatewayError midStreamFailure(Throwable e) {
        boolean idle = e instanceof TimeoutException || e.getCause() instanceof TimeoutException;
        return idle
                ? new GatewayError(504, "server_error", "upstream_timeout", null, provider + " went silent mid-stream.", Map.of())
                : new GatewayError(502, "server_error", "upstream_stream_broken", null,
                        provider + " broke the stream: " + e.getMessage(), Map.of());
    }

    @Override
    public void abort() {
        if (finished || aborted) return;
        aborted = true;
        finished = true;
        release();
        request.abort(new IOException("relay ended before the upstream stream"));
    }

    @Override
    public GatewayError failure() { return failure; }

    private void release() { lease.close(); }

    @Override
    public io.canaryllm.canonical.Usage usage() { return usageTap.usage(); }

    private void remember(byte[] piece) {
        usageTap.onPiece(piece);
        int keep = Math.min(piece.length, tail.length);
        int shift = Math.min(tailLength, tail.length - keep);
        System.arraycopy(tail, tailLength - shift, tail, 0, shift);
        System.arraycopy(piece, piece.length - keep, tail, shift, keep);
        tailLength = shift + keep;
    }

    private boolean endsWithMarker() {
        outer:
        for (int i = 0; i + endMarker.length <= tailLength; i++) {
            for (int j = 0; j < endMarker.length; j++) if (tail[i + j] != endMarker[j]) continue outer;
            return true;
        }
        return false;
    }
}
