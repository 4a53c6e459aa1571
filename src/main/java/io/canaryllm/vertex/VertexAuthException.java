package io.canaryllm.vertex;

/**
 * No access token for Vertex: the token endpoint was unreachable or refused the service account. {@link #status()} is
 * what the gateway should answer: the endpoint's own 4xx (400/401 for a revoked or wrong key), else 502.
 */
public final class VertexAuthException extends RuntimeException {
    private final int status;

    public VertexAuthException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() { return status; }
}
