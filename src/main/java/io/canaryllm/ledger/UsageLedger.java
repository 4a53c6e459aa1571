package io.canaryllm.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request side of the usage ledger: hands each finished call's row to the bounded queue that the
 * {@code usage-ledger} route (routes/usage-ledger.camel.yaml) drains into batched inserts. Never blocks the caller:
 * when the queue is full the row is dropped and counted ({@code canaryllm_usage_rows_dropped_total}).
 */
public final class UsageLedger {
    /** The route that owns the queue; its {@code from} endpoint is where rows go. */
    public static final String ROUTE_ID = "usage-ledger";
    static final String FALLBACK_URI = "seda:usage-ledger";
    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    private final CamelContext context;
    private final Counter dropped;
    private final java.util.function.Consumer<UsageRow> lateRows;
    private volatile Endpoint endpoint;
    private volatile ProducerTemplate producer;
    private volatile long lastDropLog;

    /** @param lateRows where a row goes when the queue's route is already stopping (the writer, at its close) */
    public UsageLedger(CamelContext context, MeterRegistry registry, java.util.function.Consumer<UsageRow> lateRows) {
        this.context = context;
        this.lateRows = lateRows;
        this.dropped = droppedCounter(registry);
        Gauge.builder("canaryllm.usage.queue.depth", this, UsageLedger::queueDepth)
                .description("Usage rows waiting in the ledger queue for their batch insert").register(registry);
    }

    /** The one counter of rows the ledger lost (queue full, or its retry buffer full), shared with the writer. */
    static Counter droppedCounter(MeterRegistry registry) {
        return Counter.builder("canaryllm.usage.rows.dropped")
                .description("Usage rows lost: the ledger queue or its retry buffer was full").register(registry);
    }

    /** Queues a row; returns false (and counts it) when it was dropped. */
    public boolean record(UsageRow row) {
        try {
            Endpoint target = endpoint();
            Exchange exchange = target.createExchange(ExchangePattern.InOnly);
            exchange.getIn().setBody(row);
            producer().send(target, exchange);
            if (exchange.getException() == null) return true;
            if (late(row)) return true;
            drop(exchange.getException());
        } catch (RuntimeException e) {
            if (late(row)) return true;
            drop(e);
        }
        return false;
    }

    /** A call that ended while the gateway stops, after the queue closed: the writer takes the row directly. */
    private boolean late(UsageRow row) {
        if (!context.isStopping() && !context.isStopped()) return false;
        lateRows.accept(row);
        return true;
    }

    private void drop(Throwable why) {
        dropped.increment();
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) { // a full queue drops many rows: say so once in a while, not per row
            lastDropLog = now;
            LOG.warn("usage ledger: row dropped ({}); canaryllm_usage_rows_dropped_total counts them", why.getMessage());
        }
    }

    double queueDepth() {
        Endpoint e = endpoint;
        return e instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }

    private Endpoint endpoint() {
        Endpoint e = endpoint;
        if (e == null) {
            synchronized (this) {
                if (endpoint == null) {
                    Route route = context.getRoute(ROUTE_ID);
                    endpoint = route != null ? route.getEndpoint() : context.getEndpoint(FALLBACK_URI);
                }
                e = endpoint;
            }
        }
        return e;
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    ProducerTemplate t = context.createProducerTemplate();
                    t.start();
                    producer = t;
                }
                p = producer;
            }
        }
        return p;
    }
}
