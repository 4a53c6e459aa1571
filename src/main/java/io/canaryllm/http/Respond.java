package io.canaryllm.http;

import io.canaryllm.ops.GatewayMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of a plain (non-streamed) call: the body is already the caller's answer; this makes sure only our
 * response headers go out (platform-http would echo request headers otherwise) and counts the call.
 */
public final class Respond implements Processor {
    private final GatewayMetrics metrics;

    public Respond(GatewayMetrics metrics) { this.metrics = metrics; }

    @Override
    public void process(Exchange exchange) {
        Message out = exchange.getMessage();
        Object status = out.getHeader(Exchange.HTTP_RESPONSE_CODE);
        Object type = out.getHeader(Exchange.CONTENT_TYPE);
        Object estimated = out.getHeader(io.canaryllm.anthropic.TokenEstimate.HEADER);
        out.getHeaders().clear();
        if (estimated != null) out.setHeader(io.canaryllm.anthropic.TokenEstimate.HEADER, estimated);
        int code = status instanceof Number n ? n.intValue() : 200;
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        out.setHeader(Exchange.CONTENT_TYPE, type == null ? "application/json" : type);
        if (out.getBody() instanceof byte[] bytes) out.setBody(Json.buffer(bytes));
        metrics.finish(exchange.getProperty(CallContext.PROPERTY, CallContext.class), code);
    }
}
