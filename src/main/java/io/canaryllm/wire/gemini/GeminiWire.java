package io.canaryllm.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.StreamDecoder;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Google Gemini on AI Studio (upstream only: no client speaks it). Vertex AI speaks the same bodies with Google Cloud
 * URLs and OAuth tokens (io.canaryllm.vertex). The model goes in the URL, and streaming is chosen by the method, not
 * by a body flag (protocols.md 4.1, 5.2).
 */
public final class GeminiWire implements Wire {
    @Override public Protocol protocol() { return Protocol.GEMINI; }

    @Override public String id() { return "gemini"; }

    @Override public boolean servesUpstreams() { return true; }

    @Override
    public JsonNode requestFromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        return GeminiRequests.fromCanonical(request, limits);
    }

    @Override public ChatResponse responseToCanonical(JsonNode upstreamBody) { return GeminiResponses.toCanonical(upstreamBody); }

    @Override public StreamDecoder streamDecoder() { return new GeminiStreamDecoder(); }

    @Override
    public Usage usageOf(JsonNode answerOrEvent, Usage soFar) {
        JsonNode u = answerOrEvent.path("usageMetadata");
        return u.isObject() ? UsageCodec.fromGemini(u) : soFar;
    }

    /** The base URL is the origin ({@code https://generativelanguage.googleapis.com}). */
    @Override
    public String path(String upstreamModel, boolean stream) { return "/v1beta/models/" + upstreamModel + method(stream); }

    /** {@code :generateContent}, or {@code :streamGenerateContent?alt=sse} (without alt=sse the stream is a JSON array). */
    public static String method(boolean stream) { return stream ? ":streamGenerateContent?alt=sse" : ":generateContent"; }

    @Override
    public void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) {
        if (apiKey != null) header.accept("x-goog-api-key", apiKey);
    }
    // no end marker: the decoder checks for the final finishReason instead
}
