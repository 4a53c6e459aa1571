package io.canaryllm.ops;

import io.canaryllm.store.Database;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;

/** {@code GET /health} (the process answers) and {@code GET /ready} (store reachable, every route started). */
public final class Health {
    private final Database database;

    public Health(Database database) { this.database = database; }

    public Processor live() {
        return exchange -> json(exchange, 200, "{\"status\":\"UP\"}");
    }

    public Processor ready() {
        return exchange -> {
            boolean store = database.reachable();
            boolean routes = exchange.getContext().getRoutes().stream()
                    .allMatch(r -> exchange.getContext().getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started);
            boolean up = store && routes && exchange.getContext().isStarted();
            json(exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"store\":\"" + (store ? "UP" : "DOWN")
                    + "\",\"routes\":\"" + (routes ? "UP" : "DOWN") + "\"}");
        };
    }

    private static void json(Exchange exchange, int status, String body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
