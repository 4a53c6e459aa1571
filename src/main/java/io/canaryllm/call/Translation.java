package io.canaryllm.call;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.core.Protocol;
import io.canaryllm.translate.StreamTranslator;
import io.canaryllm.translate.Wires;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TokenEstimate;
import io.canaryllm.wire.mapping.TranslationException;

import java.io.IOException;

/**
 * A call whose caller and provider speak different protocols: the request goes through the canonical model on the
 * way up ({@link #requestToUpstream}), and the answer, plain or streamed, on the way back, each step done by the two
 * wires' descriptors ({@link Wires}). Same-protocol calls never get one (they pass through untouched).
 *
 * @param request the caller's request as its wire decoded it (what the answer needs from it)
 */
public record Translation(Protocol upstream, Protocol client, String clientModel, long estimatedInputTokens,
                          ClientRequest request) {

    /** Translates the caller's body for the target's wire and remembers how to translate the answer back. */
    public static byte[] requestToUpstream(CallContext call, byte[] body, String clientModel, Catalogue.Target target) {
        return requestToUpstream(call, body, clientModel, target, target.wire().protocol());
    }

    /** @param upstream the wire to translate for (the mock answers Responses callers through the OpenAI Chat wire) */
    public static byte[] requestToUpstream(CallContext call, byte[] body, String clientModel, Catalogue.Target target, Protocol upstream) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            Protocol client = call.protocol.wire();
            if (client == null || upstream == null) throw new IllegalStateException("no translation between " + call.protocol + " and " + upstream);
            ClientRequest decoded = Wires.of(client).requestToCanonical(json);
            call.answerHeaders.putAll(decoded.answerHeaders());
            ChatRequest request = decoded.canonical();
            int maxOut = target.model().maxTokens() > 0 ? target.model().maxTokens()
                    : upstream == Protocol.ANTHROPIC ? 4096 : Integer.MAX_VALUE; // unknown local models: no clamp
            ModelLimits limits = new ModelLimits(maxOut, target.model().reasoning());
            JsonNode upstreamBody = Wires.of(upstream).requestFromCanonical(request, target.model().upstream(), limits);
            call.translation = new Translation(upstream, client, clientModel, TokenEstimate.of(request), decoded);
            return Json.MAPPER.writeValueAsBytes(upstreamBody);
        } catch (TranslationException e) {
            throw GatewayError.badRequest(e.param(), e.getMessage());
        } catch (IOException e) {
            throw GatewayError.badRequest(null, "The request body is not valid JSON.");
        }
    }

    /** A plain answer in the caller's protocol, with the usage read from the upstream's (no protocol loses a count). */
    public record Answer(byte[] body, io.canaryllm.canonical.Usage usage) {}

    /** A plain upstream answer in the caller's protocol. */
    public Answer responseToClient(byte[] upstreamBody) throws IOException {
        ChatResponse response = Wires.of(upstream).responseToCanonical(Json.MAPPER.readTree(upstreamBody));
        JsonNode out = Wires.of(client).responseFromCanonical(response, request, clientModel, upstream);
        return new Answer(Json.MAPPER.writeValueAsBytes(out), response.usage());
    }

    /** An upstream stream re-encoded event by event for the caller. */
    public TranslatedStream streamToClient(StreamSource upstreamStream) {
        return new TranslatedStream(upstreamStream, StreamTranslator.between(upstream, client, request, clientModel, estimatedInputTokens));
    }

    /** Wraps the upstream's pieces; one translator (its state) per stream. */
    public static final class TranslatedStream implements StreamSource {
        private static final byte[] NOTHING = new byte[0];
        private final StreamSource upstream;
        private final StreamTranslator translator;
        private boolean ended;

        TranslatedStream(StreamSource upstream, StreamTranslator translator) {
            this.upstream = upstream;
            this.translator = translator;
        }

        @Override
        public boolean hasNext() { return !ended; }

        @Override
        public byte[] next() {
            if (ended) return null;
            byte[] piece = upstream.next();
            if (piece != null) return translator.onUpstreamBytes(piece);
            ended = true;
            // a broken upstream is reported by the relay's end step (failure()); a complete one gets its last frames
            return upstream.failure() == null ? translator.onUpstreamEnd() : NOTHING;
        }

        @Override
        public void abort() {
            ended = true;
            upstream.abort();
        }

        @Override
        public GatewayError failure() { return upstream.failure(); }

        @Override
        public io.canaryllm.canonical.Usage usage() { return translator.usage(); }

        /** For a Responses caller: the response object of the terminal event, null before it (or for others). */
        public JsonNode finalResponse() {
            return translator.encoder() instanceof io.canaryllm.wire.openai.responses.ResponsesStreamEncoder r ? r.finalResponse() : null;
        }
    }
}
