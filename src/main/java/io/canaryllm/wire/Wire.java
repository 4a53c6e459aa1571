package io.canaryllm.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.sse.SseParser;
import io.canaryllm.wire.sse.StreamDecoder;
import io.canaryllm.wire.sse.StreamEncoder;
import io.canaryllm.wire.sse.StreamFraming;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Everything the gateway needs to know of one wire protocol, in one place: its request and response codecs and its
 * stream decoder/encoder (each named by direction), how its answers report usage, and how an upstream call on it is
 * addressed and authenticated. One implementation per wire package, listed once in {@code io.canaryllm.translate.Wires}:
 * adding a wire is one package and one registry line. A side the wire does not have (no client speaks Gemini; a
 * Responses upstream is only passed through) throws {@link UnsupportedOperationException}, and {@link #servesClients()}
 * / {@link #servesUpstreams()} say which sides exist.
 */
public interface Wire {
    Protocol protocol();

    /** The name the catalogue gives this wire ({@code wire: openai-chat}), and its key in a provider's {@code paths}. */
    String id();

    // ------------------------------------------------------------------ a client speaks it

    default boolean servesClients() { return false; }

    /** The client's body in the canonical model, with what the answer needs from it. */
    default ClientRequest requestToCanonical(JsonNode clientBody) { throw unsupported("client requests"); }

    /** A plain answer for the client, from the canonical answer of an {@code upstream} wire. */
    default JsonNode responseFromCanonical(ChatResponse response, ClientRequest request, String clientModel, Protocol upstream) {
        throw unsupported("client responses");
    }

    /**
     * A stream encoder for one client stream (its own state).
     *
     * @param estimatedInputTokens a prompt size for wires that announce input tokens before the upstream counts them
     */
    default StreamEncoder streamEncoder(ClientRequest request, String clientModel, Protocol upstream, long estimatedInputTokens) {
        throw unsupported("client streams");
    }

    // ------------------------------------------------------------------ an upstream speaks it

    default boolean servesUpstreams() { return false; }

    /** The canonical request as this upstream takes it. */
    default JsonNode requestFromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        throw unsupported("upstream requests");
    }

    /** This upstream's plain answer in the canonical model. */
    default ChatResponse responseToCanonical(JsonNode upstreamBody) { throw unsupported("upstream responses"); }

    /** A stream decoder for one upstream stream (its own state). */
    default StreamDecoder streamDecoder() { throw unsupported("upstream streams"); }

    /** How this wire's stream bytes split into events (one per stream): SSE unless the wire frames otherwise. */
    default StreamFraming streamFraming() { return new SseParser(); }

    /** The media type a streaming call asks for ({@code Accept}). */
    default String streamMediaType() { return "text/event-stream"; }

    // ------------------------------------------------------------------ answers passed through untouched

    /**
     * The usage reported by one JSON object of this wire (a plain answer's body, or one stream event's data), given
     * the usage seen before it in the same answer; {@code soFar} when the object reports none. Only called for
     * objects that mention {@code usage} (a passthrough stream parses nothing else).
     */
    Usage usageOf(JsonNode answerOrEvent, Usage soFar);

    // ------------------------------------------------------------------ HTTP rules upstream (protocols.md section 7)

    /** What this wire appends to a provider's base URL for a model call. */
    default String path(String upstreamModel, boolean stream) { throw unsupported("upstream calls"); }

    /**
     * Writes the credentials and the vendor headers of an upstream call.
     *
     * @param apiKey        the provider's key, null when it has none
     * @param clientHeaders the caller's vendor headers by lower-case name (forwarded on the same wire)
     */
    default void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) {
        throw unsupported("upstream calls");
    }

    /** The bytes a complete stream ends with; empty when the wire has none to check (its decoder checks instead). */
    default byte[] streamEndMarker() { return new byte[0]; }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(protocol() + " has no " + what);
    }
}
