package io.canaryllm.catalogue;

/** The wire protocol a provider speaks upstream. Each wire has one upstream route template in {@code routes/}. */
public enum Wire {
    OPENAI_CHAT("openai-chat"),
    ANTHROPIC("anthropic"),
    /** Google AI Studio's Gemini API (always translated: no client speaks it). */
    GEMINI("gemini"),
    /** Vertex AI's Gemini models, same wire as GEMINI with Google Cloud auth and URLs. */
    VERTEX("vertex"),
    MOCK("mock");

    private final String id;

    Wire(String id) { this.id = id; }

    public String id() { return id; }

    /** The protocol of this wire's bodies and streams (Vertex speaks Gemini's); null for the built-in mock. */
    public io.canaryllm.core.Protocol protocol() {
        return switch (this) {
            case OPENAI_CHAT -> io.canaryllm.core.Protocol.OPENAI_CHAT;
            case ANTHROPIC -> io.canaryllm.core.Protocol.ANTHROPIC;
            case GEMINI, VERTEX -> io.canaryllm.core.Protocol.GEMINI;
            case MOCK -> null;
        };
    }

    /** Whether a caller of this protocol can be passed through to this wire unchanged. */
    public boolean speaks(io.canaryllm.core.ClientProtocol protocol) {
        return switch (protocol) {
            case OPENAI_CHAT -> this == OPENAI_CHAT;
            case ANTHROPIC -> this == ANTHROPIC;
            case RESPONSES -> false; // a provider that speaks Responses says so in the catalogue (ProviderSpec.responses)
            case GATEWAY -> false;
        };
    }

    public static Wire of(String id) {
        for (Wire w : values()) if (w.id.equals(id)) return w;
        throw new IllegalArgumentException("unknown wire '" + id + "' (known: openai-chat, anthropic, gemini, vertex, mock)");
    }
}
