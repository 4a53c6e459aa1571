package io.canaryllm.catalogue;

import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.Protocol;
import io.canaryllm.translate.Wires;

/**
 * What a provider's {@code wire:} in the catalogue names: the protocol of its bodies and streams (a wire descriptor,
 * found by its id in {@link Wires}: a new wire needs no change here) and how the provider is reached: over HTTP by
 * the wire's own path and auth rules, through Vertex AI (Google Cloud URLs and an OAuth token; Gemini's wire, or
 * Anthropic's for Claude models), through AWS (Bedrock's Converse wire with a SigV4 signature over the final URL and
 * body), or not at all (the built-in mock, which answers every protocol itself).
 *
 * @param protocol null for the mock
 */
public record ProviderWire(String id, Protocol protocol, Transport transport) {
    public enum Transport { HTTP, VERTEX, AWS, MOCK }

    public static final ProviderWire VERTEX = new ProviderWire("vertex", Protocol.GEMINI, Transport.VERTEX);
    public static final ProviderWire BEDROCK = new ProviderWire("bedrock", Protocol.BEDROCK, Transport.AWS);
    public static final ProviderWire MOCK = new ProviderWire("mock", null, Transport.MOCK);

    /** The wire a catalogue id names: a descriptor that upstreams speak, or {@code vertex} or {@code mock}. */
    public static ProviderWire of(String id) {
        if (VERTEX.id.equals(id)) return VERTEX;
        if (BEDROCK.id.equals(id)) return BEDROCK;
        if (MOCK.id.equals(id)) return MOCK;
        io.canaryllm.wire.Wire descriptor = Wires.byId(id).filter(io.canaryllm.wire.Wire::servesUpstreams).orElseThrow(() ->
                new IllegalArgumentException("unknown wire '" + id + "' (known: " + String.join(", ", Wires.upstreamIds())
                        + ", vertex, mock)"));
        return new ProviderWire(id, descriptor.protocol(), Transport.HTTP);
    }

    public boolean isMock() { return transport == Transport.MOCK; }

    /**
     * Whether a caller of this protocol can be passed through to this wire unchanged. Never a Responses caller: no
     * provider's wire is Responses ({@link #of} takes only wires upstreams speak); see ProviderSpec.responses.
     */
    public boolean speaks(ClientProtocol caller) { return protocol != null && caller.wire() == protocol; }

    /** The same transport speaking another protocol (Claude on Vertex AI speaks Anthropic's). */
    public ProviderWire speaking(Protocol other) { return new ProviderWire(id, other, transport); }
}
