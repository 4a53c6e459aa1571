package io.canaryllm.translate;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.anthropic.AnthropicWire;
import io.canaryllm.wire.bedrock.BedrockWire;
import io.canaryllm.wire.gemini.GeminiWire;
import io.canaryllm.wire.openai.chat.OpenAiChatWire;
import io.canaryllm.wire.openai.responses.OpenAiResponsesWire;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The registry of wire descriptors: one line per wire. Descriptors hold no per-call state, so one of each serves all. */
public final class Wires {
    private static final Map<Protocol, Wire> BY_PROTOCOL = new EnumMap<>(Protocol.class);

    static {
        for (Wire w : List.of(
                new OpenAiChatWire(),
                new OpenAiResponsesWire(),
                new AnthropicWire(),
                new GeminiWire(),
                new BedrockWire())) {
            BY_PROTOCOL.put(w.protocol(), w);
        }
    }

    private Wires() {}

    /** The descriptor the catalogue calls {@code id}. */
    public static java.util.Optional<Wire> byId(String id) {
        return BY_PROTOCOL.values().stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** The ids of the wires an upstream provider may speak, for error messages. */
    public static List<String> upstreamIds() {
        return BY_PROTOCOL.values().stream().filter(Wire::servesUpstreams).map(Wire::id).toList();
    }

    /** The descriptor of {@code protocol}; every {@link Protocol} has one. */
    public static Wire of(Protocol protocol) {
        Wire w = BY_PROTOCOL.get(protocol);
        if (w == null) throw new IllegalStateException("no wire descriptor for " + protocol);
        return w;
    }
}
