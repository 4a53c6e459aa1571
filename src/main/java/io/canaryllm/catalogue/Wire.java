package io.canaryllm.catalogue;

/** The wire protocol a provider speaks upstream. Each wire has one upstream route template in {@code routes/}. */
public enum Wire {
    OPENAI_CHAT("openai-chat"),
    MOCK("mock"),
    /** Listed and priced, but its wire codec is not built yet: calls answer 501. */
    PENDING("pending");

    private final String id;

    Wire(String id) { this.id = id; }

    public String id() { return id; }

    public static Wire of(String id) {
        for (Wire w : values()) if (w.id.equals(id)) return w;
        throw new IllegalArgumentException("unknown wire '" + id + "' (known: openai-chat, mock, pending)");
    }
}
