package io.canaryllm.http;

import io.canaryllm.call.ResponseBody;

import io.canaryllm.call.CallContext;
import io.canaryllm.core.Json;
import io.canaryllm.metering.Metering;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of a plain (non-streamed) call: the body is already the caller's answer; this makes sure only our
 * response headers go out (platform-http would echo request headers otherwise) and counts the call.
 */
public final class Respond implements Processor {
    private final Metering metering;

    public Respond(Metering metering) { this.metering = metering; }

    private static CallContext call(Exchange exchange) { return exchange.getProperty(CallContext.PROPERTY, CallContext.class); }

    @Override
    public void process(Exchange exchange) {
        Message out = exchange.getMessage();
        Object status = out.getHeader(Exchange.HTTP_RESPONSE_CODE);
        Object type = out.getHeader(Exchange.CONTENT_TYPE);
        Object estimated = out.getHeader(io.canaryllm.anthropic.TokenEstimate.HEADER);
        out.getHeaders().clear();
        if (call(exchange) != null && call(exchange).requestId != null) out.setHeader(FrontDoor.REQUEST_ID, call(exchange).requestId);
        if (estimated != null) out.setHeader(io.canaryllm.anthropic.TokenEstimate.HEADER, estimated);
        CallContext served = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        if (served != null && served.target != null) out.setHeader(io.canaryllm.relay.ClientStream.SERVED_MODEL_HEADER, served.modelId());
        if (served != null) served.answerHeaders.forEach(out::setHeader);
        int code = status instanceof Number n ? n.intValue() : 200;
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        out.setHeader(Exchange.CONTENT_TYPE, type == null ? "application/json" : type);
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        if (out.getBody() instanceof byte[] bytes) {
            // a passthrough reads the provider's own body; a translated answer's usage was set by TranslateAnswer
            if (call != null && code == 200 && call.target != null && call.translation == null) {
                call.usage = Metering.usageOfAnswer(call.protocol, bytes);
            }
            out.setBody(ResponseBody.of(bytes));
        }
        metering.finish(exchange, call, code);
    }
}
