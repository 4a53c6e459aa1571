package io.canaryllm.http;

import io.canaryllm.call.CallContext;
import io.canaryllm.ops.GatewayMetrics;
import io.canaryllm.tracing.CallSpans;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step taken when a provider failed before answering (retries exhausted, or its breaker open): the call is
 * decoded again for the model's fallback, translated to the fallback's wire if that differs, and the route calls
 * it. The answer's {@code x-canaryllm-model} header names the model that served.
 */
public final class SwitchToFallback implements Processor {
    private final DecodeRequest decode;
    private final GatewayMetrics metrics;
    private final CallSpans spans;

    public SwitchToFallback(DecodeRequest decode, GatewayMetrics metrics, CallSpans spans) {
        this.decode = decode;
        this.metrics = metrics;
        this.spans = spans;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String from = exchange.getProperty("canaryModel", String.class);
        String fallback = exchange.getProperty(DecodeRequest.FALLBACK, String.class);
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        call.translation = null;
        // the fallback's own pool: its deployments are fresh to this call
        call.triedDeployments = java.util.Set.of();
        call.retries = 0;
        exchange.setProperty(DecodeRequest.FALLBACK_TAKEN, true);
        exchange.setProperty(DecodeRequest.MODEL_OVERRIDE, fallback);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        decode.process(exchange);
        metrics.fallback(from, fallback);
        // after the decode: the fallback's attempts are children of its span
        spans.fallback(call, from, call.modelId());
    }
}
