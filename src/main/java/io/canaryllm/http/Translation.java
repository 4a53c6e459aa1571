package io.canaryllm.http;

import io.canaryllm.core.Protocol;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.Wire;
import io.canaryllm.relay.StreamSource;
import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.anthropic.AnthropicResponses;
import io.canaryllm.wire.gemini.GeminiRequests;
import io.canaryllm.wire.gemini.GeminiResponses;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import io.canaryllm.wire.openai.chat.OpenAiChatResponses;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import io.canaryllm.wire.openai.responses.ResponsesResponses;
import io.canaryllm.translate.StreamTranslator;
import io.canaryllm.wire.mapping.TokenEstimate;
import io.canaryllm.wire.mapping.TranslationException;

import java.io.IOException;

/**
 * A call whose caller and provider speak different protocols: the request goes through the canonical model on the
 * way up ({@link #requestToUpstream}), and the answer, plain or streamed, on the way back. Same-protocol calls
 * never get one (they pass through untouched).
 */
public record Translation(Protocol upstream, Protocol client,
                          boolean clientWantsUsage, String clientModel, long estimatedInputTokens,
                          ResponsesRequests.Decoded responses) {

    /** Translates the caller's body for the target's wire and remembers how to translate the answer back. */
    public static byte[] requestToUpstream(CallContext call, byte[] body, String clientModel, Catalogue.Target target) {
        return requestToUpstream(call, body, clientModel, target, target.wire());
    }

    /** @param wire the wire to translate for (the mock answers Responses callers through the OpenAI Chat wire) */
    public static byte[] requestToUpstream(CallContext call, byte[] body, String clientModel, Catalogue.Target target, Wire wire) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            ResponsesRequests.Decoded responses = call.protocol == ClientProtocol.RESPONSES ? ResponsesRequests.decode(json) : null;
            ChatRequest request = switch (call.protocol) {
                case OPENAI_CHAT -> OpenAiChatRequests.toCanonical(json);
                case ANTHROPIC -> AnthropicRequests.toCanonical(json);
                case RESPONSES -> responses.request();
                case GATEWAY -> throw new IllegalStateException("no model calls on gateway surfaces");
            };
            if (responses != null && !responses.droppedBuiltins().isEmpty()) {
                // built-in tools run inside OpenAI only; elsewhere they are dropped, and the answer says which
                call.answerHeaders.put("x-canaryllm-dropped-tools", String.join(",", responses.droppedBuiltins()));
            }
            int maxOut = target.model().maxTokens() > 0 ? target.model().maxTokens()
                    : wire == Wire.ANTHROPIC ? 4096 : Integer.MAX_VALUE; // unknown local models: no clamp
            ModelLimits limits = new ModelLimits(maxOut, target.model().reasoning());
            String upstreamModel = target.model().upstream();
            JsonNode upstreamBody = switch (wire) {
                case OPENAI_CHAT -> OpenAiChatRequests.fromCanonical(request, upstreamModel, limits);
                case ANTHROPIC -> AnthropicRequests.fromCanonical(request, upstreamModel, limits);
                case GEMINI, VERTEX -> GeminiRequests.fromCanonical(request, limits); // the model is in the URL
                case MOCK -> throw new IllegalStateException("the mock answers every protocol itself");
            };
            call.translation = new Translation(switch (wire) {
                        case ANTHROPIC -> Protocol.ANTHROPIC;
                        case GEMINI, VERTEX -> Protocol.GEMINI;
                        default -> Protocol.OPENAI_CHAT;
                    },
                    switch (call.protocol) {
                        case ANTHROPIC -> Protocol.ANTHROPIC;
                        case RESPONSES -> Protocol.OPENAI_RESPONSES;
                        default -> Protocol.OPENAI_CHAT;
                    },
                    call.protocol != ClientProtocol.OPENAI_CHAT || OpenAiChatRequests.wantsUsage(json),
                    clientModel,
                    TokenEstimate.of(request),
                    responses);
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
        JsonNode json = Json.MAPPER.readTree(upstreamBody);
        ChatResponse response = switch (upstream) {
            case ANTHROPIC -> AnthropicResponses.toCanonical(json);
            case GEMINI -> GeminiResponses.toCanonical(json);
            case OPENAI_CHAT -> OpenAiChatResponses.toCanonical(json);
            case OPENAI_RESPONSES -> throw new IllegalStateException("Responses upstreams are passed through");
        };
        JsonNode out = switch (client) {
            case ANTHROPIC -> AnthropicResponses.fromCanonical(response, clientModel, upstream);
            case OPENAI_RESPONSES -> ResponsesResponses.fromCanonical(response, clientModel, responses, upstream);
            case OPENAI_CHAT -> OpenAiChatResponses.fromCanonical(response, clientModel);
            case GEMINI -> throw new IllegalStateException("no client speaks Gemini");
        };
        return new Answer(Json.MAPPER.writeValueAsBytes(out), response.usage());
    }

    /** An upstream stream re-encoded event by event for the caller. */
    public TranslatedStream streamToClient(StreamSource upstreamStream) {
        return new TranslatedStream(upstreamStream, client == Protocol.OPENAI_RESPONSES
                ? StreamTranslator.ofResponses(upstream, clientModel, responses)
                : StreamTranslator.of(upstream, client, clientWantsUsage, clientModel, estimatedInputTokens));
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
