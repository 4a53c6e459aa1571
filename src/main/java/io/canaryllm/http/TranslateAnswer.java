package io.canaryllm.http;

import io.canaryllm.relay.StreamSource;
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
    @Override
    public void process(Exchange exchange) throws Exception {
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        Translation translation = call.translation;
        if (translation == null) return;
        Message out = exchange.getMessage();
        if (out.getBody() instanceof StreamSource stream) {
            out.setBody(translation.streamToClient(stream));
            return;
        }
        byte[] body = out.getBody(byte[].class);
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (status >= 200 && status < 300) {
            out.setBody(translation.responseToClient(body));
        } else {
            String message = call.providerName() + " answered HTTP " + status + ": " + UpstreamErrors.upstreamMessage(body);
            out.setBody(ErrorBodies.of(call.protocol, new GatewayError(status, "invalid_request_error", null, null, message, Map.of())));
        }
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
