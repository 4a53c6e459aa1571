package io.canaryllm.upstream;

/**
 * An upstream outcome that counts against the provider's circuit breaker: 429, 5xx (529 included), a timeout or a
 * transport error. Upstream 4xx other than 429 are answers, not failures, and never reach this class.
 * {@link Kind#SATURATED} is the gateway's own queue to the provider overflowing (a burst of new calls): answered
 * 503 with a retry-after. It still counts against the breaker: Camel's {@code ignoreException} would clear the
 * exception and let the call pass as an empty success, so keep the queue (CANARYLLM_UPSTREAM_MAX_QUEUED) large.
 */
public final class UpstreamFailure extends RuntimeException {
    public enum Kind { HTTP_STATUS, TIMEOUT, UNREACHABLE, SATURATED }

    private final Kind kind;
    private final int status;
    private final byte[] body;
    private final String retryAfter;

    private UpstreamFailure(Kind kind, int status, byte[] body, String retryAfter, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    public static UpstreamFailure status(String provider, int status, byte[] body, String retryAfter) {
        return new UpstreamFailure(Kind.HTTP_STATUS, status, body, retryAfter, provider + " answered HTTP " + status, null);
    }

    public static UpstreamFailure timeout(String provider, String what) {
        return new UpstreamFailure(Kind.TIMEOUT, 0, null, null, provider + " did not answer in time: " + what, null);
    }

    public static UpstreamFailure unreachable(String provider, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new UpstreamFailure(Kind.UNREACHABLE, 0, null, null, provider + " could not be reached: " + why, cause);
    }

    /** The gateway holds as many open calls to this provider as it may (connections and queue): a burst, not a failing provider. */
    public static UpstreamFailure saturated(String provider, Throwable cause) {
        return new UpstreamFailure(Kind.SATURATED, 0, null, "1",
                "the gateway has too many calls open or queued to " + provider + "; retry shortly", cause);
    }

    public Kind kind() { return kind; }
    public int status() { return status; }
    public byte[] body() { return body; }
    public String retryAfter() { return retryAfter; }
}
