package io.canaryllm.wire.mapping;

/**
 * The upstream answered 200, but the answer is broken (Gemini {@code MALFORMED_FUNCTION_CALL} and its family,
 * protocols.md 5.7): passing it on as an empty success would end the client's turn silently. The caller answers
 * {@link #status()} (502) in the client's protocol.
 */
public final class UpstreamAnswerException extends RuntimeException {
    private final String reason;

    public UpstreamAnswerException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** The upstream's own word for the failure ({@code MALFORMED_FUNCTION_CALL} …). */
    public String reason() { return reason; }

    public int status() { return 502; }
}
