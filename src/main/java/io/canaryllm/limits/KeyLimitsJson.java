package io.canaryllm.limits;

import io.canaryllm.auth.Budget;
import io.canaryllm.auth.BudgetPeriod;
import io.canaryllm.auth.KeyLimits;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.GatewayError;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key limits in the admin API's JSON: {@code {"models": ["openai/*"], "rpm": 60, "tpm": 100000,
 * "budget": {"amount": "12.50", "period": "daily|monthly|total"}, "expires_at": "2027-01-01T00:00:00Z"}}.
 * Reading applies only the fields present, so one reader serves create and PATCH; {@code null} removes a limit.
 */
public final class KeyLimitsJson {
    private static final int MAX_PATTERNS = 200;

    private KeyLimitsJson() {}

    /** {@code base} with the limit fields present in {@code body} applied; a bad field is a 400 naming it. */
    public static KeyLimits apply(KeyLimits base, JsonNode body) {
        KeyLimits out = base;
        if (body.has("models")) out = out.withModels(models(body.get("models")));
        if (body.has("rpm")) {
            Long rpm = positive(body.get("rpm"), "rpm", Integer.MAX_VALUE);
            out = out.withRpm(rpm == null ? null : rpm.intValue());
        }
        if (body.has("tpm")) out = out.withTpm(positive(body.get("tpm"), "tpm", Long.MAX_VALUE));
        if (body.has("budget")) out = out.withBudget(budget(body.get("budget")));
        if (body.has("expires_at")) out = out.withExpiresAt(instant(body.get("expires_at")));
        return out;
    }

    /** The limits as the admin API and {@code /v1/usage} show them. */
    public static Map<String, Object> describe(KeyLimits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", l.models());
        m.put("rpm", l.rpm());
        m.put("tpm", l.tpm());
        m.put("budget", l.budget() == null ? null
                : Map.of("amount", dollars(l.budget().amount()), "period", l.budget().period().wireName()));
        m.put("expires_at", l.expiresAt() == null ? null : l.expiresAt().toString());
        return m;
    }

    /** A dollar amount as a string with at least cents ("12.50", "0.000105"): exact, and readable as money. */
    public static String dollars(BigDecimal v) {
        BigDecimal plain = v.stripTrailingZeros();
        return (plain.scale() < 2 ? plain.setScale(2) : plain).toPlainString();
    }

    private static List<String> models(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw bad("models", "'models' must be an array of model id patterns, such as [\"openai/*\"].");
        if (v.size() > MAX_PATTERNS) throw bad("models", "'models' holds more than " + MAX_PATTERNS + " patterns.");
        List<String> out = new ArrayList<>();
        for (JsonNode p : v) {
            if (!p.isTextual() || p.asText().isBlank() || p.asText().length() > 200) {
                throw bad("models", "Each entry of 'models' must be a non-empty string (a model id, '*' for any characters).");
            }
            out.add(p.asText().trim());
        }
        return out;
    }

    private static Long positive(JsonNode v, String field, long max) {
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > max) {
            throw bad(field, "'" + field + "' must be a whole number of at least 1, or null for no limit.");
        }
        return v.asLong();
    }

    private static Budget budget(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw bad("budget", "'budget' must be an object: {\"amount\": \"12.50\", \"period\": \"daily|monthly|total\"}.");
        JsonNode amount = v.path("amount");
        BigDecimal dollars;
        try {
            dollars = amount.isTextual() ? new BigDecimal(amount.asText().trim())
                    : amount.isNumber() ? amount.decimalValue() : null;
        } catch (NumberFormatException e) {
            dollars = null;
        }
        if (dollars == null || dollars.signum() < 0 || dollars.precision() - dollars.scale() > 10 || dollars.scale() > 10) {
            throw bad("budget.amount", "'budget.amount' must be a dollar amount of at least 0 (a string such as \"12.50\", or a number).");
        }
        BudgetPeriod period = BudgetPeriod.parse(v.path("period").asText(null)).orElseThrow(() ->
                bad("budget.period", "'budget.period' must be daily, monthly or total."));
        return new Budget(dollars, period);
    }

    private static Instant instant(JsonNode v) {
        if (v == null || v.isNull()) return null;
        String s = v.asText("").trim();
        try {
            if (s.length() == 10) return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("expires_at", "'expires_at' must be an ISO-8601 date-time (2027-01-01T00:00:00Z) or date, or null.");
        }
    }

    private static GatewayError bad(String field, String message) { return GatewayError.badRequest(field, message); }
}
