package io.canaryllm.ledger;

import io.canaryllm.call.ResponseBody;

import io.canaryllm.call.CallContext;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.limits.Limits;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The usage ledger over HTTP: {@code GET /admin/usage} (rows and totals), {@code GET /admin/usage/summary} (totals
 * per day, model or key), both for the master key, and {@code GET /v1/usage} (an API key's own totals). Rows written
 * in the last half second may not be there yet: the ledger writes in batches.
 */
public final class UsageApi {
    private static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 10_000;
    private final UsageQueries queries;
    private final Limits limits;

    public UsageApi(UsageQueries queries, Limits limits) {
        this.queries = queries;
        this.limits = limits;
    }

    /** {@code GET /admin/usage?key_id=&model=&from=&to=&limit=} → {"object", "data": [rows, newest first], "totals"}. */
    public Processor rows() {
        return exchange -> {
            UsageQueries.Filter f = filter(exchange.getMessage());
            int limit = limit(exchange.getMessage());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("object", "list");
            out.put("data", queries.rows(f, limit));
            out.put("totals", queries.totals(f));
            reply(exchange, out);
        };
    }

    /** {@code GET /admin/usage/summary?group_by=day|model|key|deployment} (same filters) → {"object", "group_by", "data"}. */
    public Processor summary() {
        return exchange -> {
            Message in = exchange.getMessage();
            String groupBy = in.getHeader("group_by", "day", String.class).trim().toLowerCase(Locale.ROOT);
            UsageQueries.GroupBy by = switch (groupBy) {
                case "day" -> UsageQueries.GroupBy.DAY;
                case "model" -> UsageQueries.GroupBy.MODEL;
                case "key", "key_id" -> UsageQueries.GroupBy.KEY;
                case "deployment" -> UsageQueries.GroupBy.DEPLOYMENT;
                default -> throw GatewayError.badRequest("group_by", "'group_by' must be day, model, key or deployment.");
            };
            UsageQueries.Filter f = filter(in);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("object", "list");
            out.put("group_by", groupBy.equals("key_id") ? "key" : groupBy);
            out.put("data", queries.summary(f, by));
            out.put("totals", queries.totals(f));
            reply(exchange, out);
        };
    }

    /**
     * {@code GET /v1/usage} with an API key → that key's totals: all time (or from/to), today and this month (UTC);
     * its limits, its budget's spend and remainder, and this minute's requests and tokens.
     */
    public Processor ownUsage() {
        return exchange -> {
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            Message in = exchange.getMessage();
            UsageQueries.Filter f = new UsageQueries.Filter(call.key.id(), blankToNull(in.getHeader("model", String.class)),
                    instant(in, "from"), instant(in, "to"));
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("object", "usage");
            out.put("key_id", call.key.id());
            out.put("name", call.key.name());
            out.put("totals", queries.totals(f));
            out.put("today", queries.totals(f.since(today.atStartOfDay().toInstant(ZoneOffset.UTC))));
            out.put("this_month", queries.totals(f.since(today.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC))));
            out.putAll(limits.status(call.key));
            reply(exchange, out);
        };
    }

    private static UsageQueries.Filter filter(Message in) {
        return new UsageQueries.Filter(blankToNull(in.getHeader("key_id", String.class)), blankToNull(in.getHeader("model", String.class)),
                instant(in, "from"), instant(in, "to"));
    }

    private static int limit(Message in) {
        String v = blankToNull(in.getHeader("limit", String.class));
        if (v == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw GatewayError.badRequest("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    /** An instant ({@code 2026-05-01T12:00:00Z}, any offset) or a day ({@code 2026-05-01}, its start in UTC). */
    static Instant instant(Message in, String name) {
        String v = blankToNull(in.getHeader(name, String.class));
        if (v == null) return null;
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw GatewayError.badRequest(name, "'" + name + "' must be an ISO-8601 date (2026-05-01) or date-time (2026-05-01T12:00:00Z).");
        }
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }

    private static void reply(Exchange exchange, Object body) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(ResponseBody.of(Json.bytes(body)));
    }
}
