package io.canaryllm.wire.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.StreamEncoder;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * OpenAI Responses: a client wire (Codex CLI, Cursor) translated for every other provider; upstream, a provider that
 * serves Responses itself gets the caller's body untouched, so only its HTTP rules and usage reading are here.
 */
public final class OpenAiResponsesWire implements Wire {
    @Override public Protocol protocol() { return Protocol.OPENAI_RESPONSES; }

    @Override public String id() { return "openai-responses"; }

    @Override public boolean servesClients() { return true; }

    @Override public ClientRequest requestToCanonical(JsonNode clientBody) { return ResponsesRequests.decode(clientBody); }

    @Override
    public JsonNode responseFromCanonical(ChatResponse response, ClientRequest request, String clientModel, Protocol upstream) {
        return ResponsesResponses.fromCanonical(response, clientModel, decoded(request), upstream);
    }

    @Override
    public StreamEncoder streamEncoder(ClientRequest request, String clientModel, Protocol upstream, long estimatedInputTokens) {
        return new ResponsesStreamEncoder(clientModel, decoded(request), upstream);
    }

    /** Null for a request decoded elsewhere (tests): there are no custom tool names to restore then. */
    private static ResponsesRequests.Decoded decoded(ClientRequest request) {
        return request instanceof ResponsesRequests.Decoded d ? d : null;
    }

    /** A plain response has {@code usage} at the top; stream events carry it in {@code response} (protocols.md 3.3). */
    @Override
    public Usage usageOf(JsonNode answerOrEvent, Usage soFar) {
        JsonNode u = answerOrEvent.path("response").path("usage");
        if (!u.isObject()) u = answerOrEvent.path("usage");
        return u.isObject() ? UsageCodec.fromResponses(u) : soFar;
    }

    @Override public String path(String upstreamModel, boolean stream) { return "/responses"; }

    @Override
    public void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) {
        if (apiKey != null) header.accept("Authorization", "Bearer " + apiKey);
    }
    // no end marker: a Responses stream ends with one of several terminal events
}
