package io.canaryllm.openai;

import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.Wire;
import io.canaryllm.http.CallContext;
import io.canaryllm.http.GatewayError;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * Route step of {@code POST /v1/chat/completions}: validates the request, resolves its model in the catalogue and
 * prepares the upstream body. For an OpenAI-compatible provider that is the client's body with only {@code model}
 * rewritten to the provider's name for it.
 */
public final class DecodeChatRequest implements Processor {
    private final Catalogue catalogue;
    private final long maxBodyBytes;

    public DecodeChatRequest(Catalogue catalogue, long maxBodyBytes) {
        this.catalogue = catalogue;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] body = bodyBytes(exchange.getMessage().getBody());
        if (body.length > maxBodyBytes) throw GatewayError.tooLarge(maxBodyBytes);
        ChatRequestReader.ChatRequest request = ChatRequestReader.read(body);
        Catalogue.Target target = catalogue.resolve(request.model());
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        call.target = target;
        call.stream = request.stream();
        Wire wire = target.provider().wire();
        if (wire == Wire.PENDING) {
            throw new GatewayError(501, "invalid_request_error", "provider_not_implemented", "model",
                    "Provider '" + target.provider().name() + "' is in the catalogue, but this gateway build cannot call it yet.",
                    Map.of());
        }
        call.upstreamBody = wire == Wire.OPENAI_CHAT ? request.withModel(target.model().upstream()) : body;
        exchange.setProperty(CallContext.STREAM, call.stream);
        exchange.setProperty(CallContext.WIRE, wire.id());
        exchange.setProperty(CallContext.PROVIDER, target.provider().name());
    }

    static byte[] bodyBytes(Object body) {
        if (body instanceof Buffer b) return b.getBytes();
        if (body instanceof byte[] b) return b;
        if (body instanceof String s) return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new byte[0];
    }
}
