package io.canaryllm.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.StreamDecoder;
import io.canaryllm.wire.sse.StreamEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/** Anthropic Messages, both sides (Claude Code and the Anthropic SDKs; Anthropic's API and Claude on Vertex AI). */
public final class AnthropicWire implements Wire {
    /** The version sent when the caller named none (another protocol's caller). */
    public static final String DEFAULT_VERSION = "2023-06-01";
    private static final byte[] MESSAGE_STOP = "message_stop".getBytes(StandardCharsets.US_ASCII);

    @Override public Protocol protocol() { return Protocol.ANTHROPIC; }

    @Override public String id() { return "anthropic"; }

    @Override public boolean servesClients() { return true; }

    @Override public ClientRequest requestToCanonical(JsonNode clientBody) { return ClientRequest.of(AnthropicRequests.toCanonical(clientBody)); }

    @Override
    public JsonNode responseFromCanonical(ChatResponse response, ClientRequest request, String clientModel, Protocol upstream) {
        return AnthropicResponses.fromCanonical(response, clientModel, upstream);
    }

    @Override
    public StreamEncoder streamEncoder(ClientRequest request, String clientModel, Protocol upstream, long estimatedInputTokens) {
        return new AnthropicStreamEncoder(clientModel, estimatedInputTokens, upstream);
    }

    @Override public boolean servesUpstreams() { return true; }

    @Override
    public JsonNode requestFromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        return AnthropicRequests.fromCanonical(request, upstreamModel, limits);
    }

    @Override public ChatResponse responseToCanonical(JsonNode upstreamBody) { return AnthropicResponses.toCanonical(upstreamBody); }

    @Override public StreamDecoder streamDecoder() { return new AnthropicStreamDecoder(); }

    /** {@code message_start} carries the input side, {@code message_delta} the running output count (protocols.md 2.5). */
    @Override
    public Usage usageOf(JsonNode answerOrEvent, Usage soFar) {
        JsonNode u = "message_start".equals(answerOrEvent.path("type").asText())
                ? answerOrEvent.path("message").path("usage") : answerOrEvent.path("usage");
        return u.isObject() ? UsageCodec.fromAnthropic(u, soFar) : soFar;
    }

    /** The base URL is the origin ({@code https://api.anthropic.com}). */
    @Override public String path(String upstreamModel, boolean stream) { return "/v1/messages"; }

    /** {@code x-api-key}, and the caller's {@code anthropic-version} / {@code anthropic-beta} when it sent them. */
    @Override
    public void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) {
        if (apiKey != null) header.accept("x-api-key", apiKey);
        header.accept("anthropic-version", clientHeaders.getOrDefault("anthropic-version", DEFAULT_VERSION));
        String beta = clientHeaders.get("anthropic-beta");
        if (beta != null) header.accept("anthropic-beta", beta);
    }

    @Override public byte[] streamEndMarker() { return MESSAGE_STOP.clone(); }
}
