package io.canaryllm.wire.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.StreamDecoder;
import io.canaryllm.wire.sse.StreamFraming;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * AWS Bedrock Converse (upstream only: no client speaks it). The model goes in the path, URL-encoded (inference-profile
 * ids hold a colon: {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}); streaming is chosen by the path
 * ({@code /converse-stream}), and the stream is AWS event-stream frames ({@code application/vnd.amazon.eventstream}).
 * The request is signed with SigV4 by the transport, which needs the final URL and body: this wire writes no
 * credentials itself.
 */
public final class BedrockWire implements Wire {
    /** What a ConverseStream call asks for and gets. */
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    @Override public Protocol protocol() { return Protocol.BEDROCK; }

    @Override public String id() { return "bedrock"; }

    @Override public boolean servesUpstreams() { return true; }

    @Override
    public JsonNode requestFromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        return BedrockRequests.fromCanonical(request, upstreamModel, limits);
    }

    @Override public ChatResponse responseToCanonical(JsonNode upstreamBody) { return BedrockResponses.toCanonical(upstreamBody); }

    @Override public StreamDecoder streamDecoder() { return new BedrockStreamDecoder(); }

    @Override public StreamFraming streamFraming() { return new BedrockEventStream(); }

    @Override public String streamMediaType() { return EVENT_STREAM; }

    /** A plain answer's {@code usage}, or a stream's {@code metadata} event's. */
    @Override
    public Usage usageOf(JsonNode answerOrEvent, Usage soFar) {
        JsonNode u = answerOrEvent.path("usage");
        return u.isObject() ? UsageCodec.fromBedrock(u) : soFar;
    }

    /** The base URL is the runtime endpoint's origin ({@code https://bedrock-runtime.us-east-1.amazonaws.com}). */
    @Override
    public String path(String upstreamModel, boolean stream) {
        return "/model/" + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20")
                + (stream ? "/converse-stream" : "/converse");
    }

    /** Nothing here: the AWS transport signs the whole request (io.canaryllm.aws). */
    @Override
    public void authenticate(String apiKey, Map<String, String> clientHeaders, BiConsumer<String, String> header) { }
    // no end marker: the decoder checks for messageStop instead
}
