package io.canaryllm.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** {@code GET /metrics}: the Prometheus text format, on the gateway's own port. */
public final class PrometheusScrape implements Processor {
    private final PrometheusMeterRegistry registry;

    public PrometheusScrape(PrometheusMeterRegistry registry) { this.registry = registry; }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setBody(registry.scrape());
    }
}
