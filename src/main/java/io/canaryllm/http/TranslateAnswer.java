package io.canaryllm.http;

import io.canaryllm.call.CallContext;
import io.canaryllm.call.ErrorBodies;
import io.canaryllm.call.Translation;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.call.StreamSource;
import io.canaryllm.wire.mapping.UpstreamAnswerException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * Route step after the provider call: brings a translated call's answer into the caller's protocol (a stream is
 * wrapped so it is re-encoded as it is relayed; an upstream error body becomes the caller's error object). For a
 * passthrough it does nothing.
 */
public final class TranslateAnswer implements Processor {
    private final io.canaryllm.responses.StoredResponses stored;

    public TranslateAnswer(io.canaryllm.responses.StoredResponses stored) { this.stored = stored; }

    @Override
    public void process(Exchange exchange) throws Exception {
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        Translation translation = call.translation;
        if (translation == null) return;
        Message out = exchange.getMessage();
        boolean responses = call.protocol == ClientProtocol.RESPONSES;
        if (out.getBody() instanceof StreamSource stream) {
            Translation.TranslatedStream translated = translation.streamToClient(stream);
            out.setBody(translated);
            if (responses) call.afterStream = () -> stored.keep(call, call.clientBody, translated.finalResponse());
            return;
        }
        byte[] body = out.getBody(byte[].class);
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (status >= 200 && status < 300) {
            try {
                Translation.Answer answer = translation.responseToClient(body);
                out.setBody(answer.body());
                // the canonical usage, before the caller's protocol drops what it has no field for (Anthropic:
                // reasoning tokens); Respond then does not read it back from the body
                call.usage = answer.usage();
                if (responses) stored.keep(call, call.clientBody, Json.MAPPER.readTree(answer.body()));
            } catch (UpstreamAnswerException e) {
                throw new GatewayError(e.status(), "server_error", e.reason(), null,
                        call.providerName() + " gave no usable answer: " + e.getMessage(), Map.of());
            }
        } else {
            // Google answers a bad key with 400 API_KEY_INVALID: the caller must see an auth failure (protocols.md 6.6)
            if (status == 400 && body != null && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("API_KEY_INVALID")) {
                status = 401;
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            }
            String message = call.providerName() + " answered HTTP " + status + ": " + UpstreamErrors.upstreamMessage(body);
            out.setBody(ErrorBodies.of(call.protocol, new GatewayError(status, "invalid_request_error", null, null, message, Map.of())));
        }
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
