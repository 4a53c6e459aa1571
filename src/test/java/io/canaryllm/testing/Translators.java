package io.canaryllm.testing;

import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.core.Protocol;
import io.canaryllm.translate.StreamTranslator;
import io.canaryllm.translate.Wires;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.sse.StreamDecoder;

/** Stream translators for tests that have no decoded client request at hand (the routes always have one). */
public final class Translators {
    private Translators() {}

    public static StreamTranslator of(Protocol from, Protocol to, boolean clientWantsUsage, String clientModel) {
        return of(from, to, clientWantsUsage, clientModel, 0);
    }

    /** A Responses client gets no custom or namespaced tool names back this way (prefer {@link #ofResponses}). */
    public static StreamTranslator of(Protocol from, Protocol to, boolean clientWantsUsage, String clientModel,
                                      long estimatedInputTokens) {
        ClientRequest request = new ClientRequest() {
            @Override public ChatRequest canonical() { return null; }
            @Override public boolean wantsStreamUsage() { return clientWantsUsage; }
        };
        return StreamTranslator.between(from, to, request, clientModel, estimatedInputTokens);
    }

    public static StreamTranslator ofResponses(Protocol from, String clientModel, ClientRequest decoded) {
        return StreamTranslator.between(from, Protocol.OPENAI_RESPONSES, decoded, clientModel, 0);
    }

    public static StreamDecoder decoder(Protocol from) { return Wires.of(from).streamDecoder(); }
}
