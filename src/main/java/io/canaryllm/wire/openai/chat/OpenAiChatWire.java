package io.canaryllm.wire.openai.chat;

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

/** OpenAI Chat Completions, both sides: every OpenAI-compatible provider is this wire plus a base URL. */
public final class OpenAiChatWire implements Wire {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** A Chat client's request: usage goes into its stream only when it asked ({@code stream_options.include_usage}). */
    record ChatClientRequest(ChatRequest canonical, boolean wantsStreamUsage) implements ClientRequest {}

    @Override public Protocol protocol() { return Protocol.OPENAI_CHAT; }

    @Override public String id() { return "openai-chat"; }

    @Override public boolean servesClients() { return true; }

    @Override
    public ClientRequest requestToCanonical(JsonNode clientBody) {
        return new ChatClientRequest(OpenAiChatRequests.toCanonical(clientBody), OpenAiChatRequests.wantsUsage(clientBody));
    }

    @Override
    public JsonNode responseFromCanonical(ChatResponse response, ClientRequest request, String clientModel, Protocol upstream) {
        return OpenAiChatResponses.fromCanonical(response, clientModel);
    }

    @Override
    public StreamEncoder streamEncoder(ClientRequest request, String clientModel, Protocol upstream, long estimatedInputTokens) {
        return new OpenAiChatStreamEncoder(clientModel, request.wantsStreamUsage());
    }

    @Override public boolean servesUpstreams() { return true; }

    @Override
    public JsonNode requestFromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        return OpenAiChatRequests.fromCanonical(request, upstreamModel, limits);
    }

    @Override public ChatResponse responseToCanonical(JsonNode upstreamBody) { return OpenAiChatResponses.toCanonical(upstreamBody); }

    @Override public StreamDecoder streamDecoder() { return new OpenAiChatStreamDecoder(); }

    /** The plain answer and the final stream chunk carry {@code usage} at the top (protocols.md 1.3, 1.4). */
    @Override
    public Usage usageOf(JsonNode answerOrEvent, Usage soFar) {
        JsonNode u = answerOrEvent.path("usage");
        return u.isObject() ? UsageCodec.fromOpenAi(u) : soFar;
    }

    /** The base URL is what the OpenAI SDK takes ({@code https://api.openai.com/v1}). */
    @Override public String path(String upstreamModel, boolean stream) { return "/chat/completions"; }

    @Override
    public void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) {
        if (apiKey != null) header.accept("Authorization", "Bearer " + apiKey);
    }

    @Override public byte[] streamEndMarker() { return DONE.clone(); }
}
