package io.canaryllm.metering;

import io.canaryllm.canonical.Usage;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.Json;
import io.canaryllm.ledger.UsageLedger;
import io.canaryllm.limits.Limits;
import io.canaryllm.ledger.UsageRow;
import io.canaryllm.ops.GatewayMetrics;
import io.canaryllm.tracing.CallSpans;
import io.canaryllm.translate.Wires;
import org.apache.camel.Exchange;

/**
 * The end of every call, in one place: its tokens and billed cost (catalogue price with markup), its metrics, its
 * usage-ledger row, and the properties the extension-point routes read. Called by the three terminal steps (plain
 * answer, stream end, error).
 */
public final class Metering {
    /** The endpoints whose calls the usage ledger records (not count_tokens, the catalogue or the admin API). */
    public static final java.util.Set<String> MODEL_ENDPOINTS = java.util.Set.of("chat_completions", "messages", "responses");
    private final Catalogue catalogue;
    private final GatewayMetrics metrics;
    private final UsageLedger ledger;
    private final Limits limits;
    private final CallSpans spans;

    /**
     * @param ledger where each model call's row goes; null for none
     * @param limits the per-key counters a call's tokens and cost count against; null for none
     */
    public Metering(Catalogue catalogue, GatewayMetrics metrics, UsageLedger ledger, Limits limits) {
        this(catalogue, metrics, ledger, limits, new CallSpans(io.canaryllm.tracing.Tracing.OFF));
    }

    /** @param spans the call's trace, ended here with what the call used */
    public Metering(Catalogue catalogue, GatewayMetrics metrics, UsageLedger ledger, Limits limits, CallSpans spans) {
        this.spans = spans;
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.ledger = ledger;
        this.limits = limits;
    }

    public GatewayMetrics metrics() { return metrics; }

    public CallSpans spans() { return spans; }

    public void finish(Exchange exchange, CallContext call, int status) {
        if (call == null) return;
        if (call.target != null) {
            call.cost = catalogue.billedPrices(call.target.model()).map(p -> p.cost(call.usage)).orElse(null);
        }
        metrics.finish(call, status);
        if (call.target != null) metrics.usage(call, call.usage, call.cost);
        call.publish(exchange, status);
        spans.end(call, status);
        // one row per authenticated model call, whatever its outcome (a 401 bills no one and is only a metric)
        if (ledger != null && !call.ledgered && call.key != null && MODEL_ENDPOINTS.contains(call.endpoint)) {
            call.ledgered = true;
            if (limits != null) limits.afterCall(call);
            java.math.BigDecimal listCost = call.target == null ? null
                    : call.target.model().price().map(p -> p.cost(call.usage)).orElse(null);
            ledger.record(UsageRow.of(call, status, listCost, System.nanoTime()));
        }
    }

    /** The usage of a plain answer, read from the body in the caller's protocol (after any translation). */
    public static Usage usageOfAnswer(ClientProtocol protocol, byte[] body) {
        try {
            return Wires.of(protocol.wire()).usageOf(Json.MAPPER.readTree(body), Usage.ZERO);
        } catch (Exception notJson) {
            return Usage.ZERO;
        }
    }
}
