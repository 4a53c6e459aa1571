package io.canaryllm.wire.mapping;

/** The client's request cannot be expressed: the caller answers 400 in the client's protocol. */
public final class TranslationException extends RuntimeException {
    private final String param;

    public TranslationException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The request field at fault, or null. */
    public String param() { return param; }
}
