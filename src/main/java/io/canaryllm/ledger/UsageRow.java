package io.canaryllm.ledger;

import io.canaryllm.canonical.Usage;
import io.canaryllm.call.CallContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One row of the usage ledger: one call on a model endpoint, as it ended.
 *
 * @param id            the gateway's own id for the row (request ids may come from the caller and repeat)
 * @param providerCost  list price × tokens, no markup; null for an unpriced model
 * @param billedCost    what the key is billed (list price with the markup); null for an unpriced model
 * @param firstTokenMs  from arrival to the first streamed byte; null for a plain answer or a stream that never began
 * @param status        the HTTP status the caller got (499: the caller left during the stream)
 * @param deployment    the deployment of the model's pool that served (or was tried last); "none" before one was chosen
 */
public record UsageRow(
        String id,
        Instant createdAt,
        String keyId,
        String endpoint,
        String model,
        String provider,
        Usage usage,
        BigDecimal providerCost,
        BigDecimal billedCost,
        long latencyMs,
        Long firstTokenMs,
        int status,
        String requestId,
        String deployment) {

    /** The row for a call that ends now. */
    public static UsageRow of(CallContext call, int status, BigDecimal providerCost, long endNanos) {
        long first = call.firstTokenNanos;
        String model = call.target != null ? call.target.model().id()
                : call.requestedModel != null && !call.requestedModel.isBlank() ? cut(call.requestedModel, 200) : "none";
        return new UsageRow(newId(), Instant.now(), call.key.id(), call.endpoint, model, cut(call.providerName(), 100),
                call.usage, providerCost, call.cost, (endNanos - call.startNanos) / 1_000_000,
                first == 0 ? null : (first - call.startNanos) / 1_000_000, status,
                call.requestId == null ? null : cut(call.requestId, 200), cut(call.deploymentName(), 100));
    }

    private static String cut(String s, int max) { return s.length() <= max ? s : s.substring(0, max); }

    /**
     * Time first, then 64 random bits, hex: unique without SecureRandom on the hot path, and increasing, so inserts
     * append to the primary-key B-tree instead of landing at random pages (random keys made H2's page splits and
     * key comparisons the largest CPU item under load).
     */
    static String newId() {
        return "u_" + Long.toHexString(System.currentTimeMillis()) + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
