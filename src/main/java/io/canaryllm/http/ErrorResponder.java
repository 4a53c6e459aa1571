package io.canaryllm.http;

import io.canaryllm.call.ResponseBody;

import io.canaryllm.call.CallContext;
import io.canaryllm.call.ErrorBodies;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.metering.Metering;
import io.canaryllm.upstream.UpstreamFailure;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The one place an exception becomes an HTTP answer, in the caller's protocol (the error handler of every route,
 * see {@code routes/error-handling.camel.yaml}). Expected outcomes ({@link GatewayError}, {@link UpstreamFailure},
 * an open breaker) are mapped as protocols.md 6.6 describes; anything else is a 500 that names no internals.
 */
public final class ErrorResponder implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    private final Metering metering;

    public ErrorResponder(Metering metering) { this.metering = metering; }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        GatewayError error = toGatewayError(cause, call);
        if (error.status() >= 500) {
            org.slf4j.MDC.put("request_id", call == null ? null : call.requestId);
            LOG.warn("{} {} -> {}: {}", call == null ? "?" : call.endpoint, call == null ? "?" : call.modelId(),
                    error.status(), error.getMessage());
            org.slf4j.MDC.remove("request_id");
        }
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        if (call != null && call.requestId != null) out.setHeader(FrontDoor.REQUEST_ID, call.requestId);
        if (call != null && call.response != null && call.response.headWritten()) {
            out.setBody(null); // a stream already started; its relay has ended it
        } else {
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
            error.headers().forEach(out::setHeader);
            out.setBody(ResponseBody.of(ErrorBodies.of(call == null ? ClientProtocol.GATEWAY : call.protocol, error)));
        }
        if (call != null) {
            exchange.setProperty("canaryErrorMessage", error.getMessage());
            if (call.errorType == null) call.errorType = error.code();
        }
        metering.finish(exchange, call, error.status());
    }

    GatewayError toGatewayError(Throwable cause, CallContext call) {
        String provider = call == null ? "the provider" : call.providerName();
        if (cause instanceof GatewayError e) return e;
        if (cause instanceof CallNotPermittedException) {
            int wait = call == null || call.target == null ? 30 : call.target.provider().breaker().waitSeconds();
            return new GatewayError(503, "server_error", "provider_unavailable", null,
                    "Provider '" + provider + "' is failing and temporarily suspended (circuit breaker open). Retry later.",
                    Map.of("retry-after", Integer.toString(Math.max(1, wait))));
        }
        if (cause instanceof UpstreamFailure f) {
            return switch (f.kind()) {
                case TIMEOUT -> new GatewayError(504, "server_error", "upstream_timeout", null, f.getMessage(), Map.of());
                case UNREACHABLE -> new GatewayError(502, "server_error", "upstream_unreachable", null, f.getMessage(), Map.of());
                case SATURATED -> new GatewayError(503, "server_error", "gateway_saturated", null,
                        "The gateway has too many calls open to '" + provider + "' right now. Retry shortly.", Map.of("retry-after", "1"));
                case HTTP_STATUS -> UpstreamErrors.fromStatus(provider, f);
            };
        }
        org.slf4j.MDC.put("request_id", call == null ? null : call.requestId);
        LOG.error("unexpected failure", cause);
        org.slf4j.MDC.remove("request_id");
        return new GatewayError(500, "server_error", null, null, "The gateway failed to handle this request.", Map.of());
    }
}
