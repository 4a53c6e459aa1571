package io.canaryllm.limits;

import io.canaryllm.auth.Budget;
import io.canaryllm.auth.BudgetPeriod;
import io.canaryllm.auth.KeyLimits;
import io.canaryllm.auth.ApiKey;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.GatewayError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enforces a key's limits before its upstream call (route step {@code checkLimits}) and counts what the call used
 * when it ends ({@link #afterCall}, from Metering). Rates count in fixed one-minute windows (UTC minutes); spend
 * counts in the budget's period and starts from the usage ledger when its counter is new. Keys without limits
 * cost nothing here. When the counter store fails, calls go through (fail open, counted and logged): the ledger
 * still records them, and an outage of Redis must not become an outage of the gateway.
 */
public final class Limits {
    private static final Logger LOG = LoggerFactory.getLogger(Limits.class);
    /** Spend counters count in units of 10^-12 dollars: integers, so Redis adds them exactly. */
    static final int SPEND_SCALE = 12;
    private static final long RATE_TTL_SECONDS = 120;

    /** A key's billed spend from an instant on, as the usage ledger holds it. */
    @FunctionalInterface
    public interface SpendHistory {
        BigDecimal billedSince(String keyId, Instant from);
    }

    private final Counters counters;
    private final SpendHistory history;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter storeErrors;
    private volatile long nextStoreWarning;

    public Limits(Counters counters, SpendHistory history, MeterRegistry meters, Clock clock) {
        this.counters = counters;
        this.history = history;
        this.meters = meters;
        this.clock = clock;
        this.storeErrors = Counter.builder("canaryllm.limit.store.errors").description(
                "Limit checks or counts that failed because the counter store (Redis) failed; those calls went through")
                .register(meters);
    }

    public String store() { return counters.describe(); }

    /** The route step: 403 for a model the key may not call, 429 over a rate or budget. */
    public Processor check() {
        return exchange -> check(exchange.getProperty(CallContext.PROPERTY, CallContext.class));
    }

    /** The route step for calls that are not model calls ({@code count_tokens}): 403 for a model the key may not use. */
    public Processor checkModel() {
        return exchange -> checkModel(exchange.getProperty(CallContext.PROPERTY, CallContext.class));
    }

    private void checkModel(CallContext call) {
        if (call == null || call.key == null || call.key.limits().models() == null) return;
        KeyLimits l = call.key.limits();
        String model = call.target != null ? call.target.model().id() : call.requestedModel;
        if (!l.allowsModel(model)) {
            reject("models");
            throw new GatewayError(403, "invalid_request_error", "model_not_allowed", "model",
                    "API key '" + call.key.name() + "' may not use model '" + model + "'. Allowed: "
                            + String.join(", ", l.models()) + ".", Map.of());
        }
    }

    void check(CallContext call) {
        if (call == null || call.key == null) return;
        ApiKey key = call.key;
        KeyLimits l = key.limits();
        if (!l.checksCalls()) return;
        checkModel(call);
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        // one batch (one Redis round trip): the spend and the minute's tokens are read, the request is counted
        List<Counters.Op> ops = new ArrayList<>(3);
        String spend = l.budget() == null ? null : spendCounter(key.id(), l.budget().period(), now);
        if (spend != null) ops.add(new Counters.Read(spend));
        if (l.tpm() != null) ops.add(new Counters.Read(tokensCounter(key.id(), minute)));
        if (l.rpm() != null) ops.add(new Counters.Add(requestsCounter(key.id(), minute), 1, RATE_TTL_SECONDS));
        if (ops.isEmpty()) return;
        try {
            long[] v = counters.batch(ops);
            int at = 0;
            if (spend != null) {
                long units = v[at++];
                if (units == Counters.ABSENT) units = seedSpend(key.id(), l.budget().period(), now);
                BigDecimal spent = BigDecimal.valueOf(units, SPEND_SCALE);
                if (spent.compareTo(l.budget().amount()) >= 0) {
                    reject("budget");
                    throw budgetSpent(key, l.budget(), spent, now);
                }
            }
            if (l.tpm() != null && v[at++] >= l.tpm()) {
                reject("tokens");
                throw rateLimited(key, "tokens", "tokens per minute", l.tpm(), now);
            }
            if (l.rpm() != null && v[at] > l.rpm()) {
                reject("requests");
                throw rateLimited(key, "requests", "requests per minute", l.rpm(), now);
            }
        } catch (GatewayError e) {
            throw e;
        } catch (RuntimeException storeFailed) {
            storeFailed(storeFailed);
        }
    }

    /** Counts the tokens and billed cost of an ended call against its key's per-minute and budget counters. */
    public void afterCall(CallContext call) {
        if (call == null || call.key == null) return;
        KeyLimits l = call.key.limits();
        if (l.tpm() == null && l.budget() == null) return;
        long tokens = call.usage.total();
        boolean spent = l.budget() != null && call.cost != null && call.cost.signum() > 0;
        if (!(l.tpm() != null && tokens > 0) && !spent) return;
        Instant now = clock.instant();
        List<Counters.Op> ops = new ArrayList<>(2);
        if (l.tpm() != null && tokens > 0) {
            ops.add(new Counters.Add(tokensCounter(call.key.id(), now.getEpochSecond() / 60), tokens, RATE_TTL_SECONDS));
        }
        String spend = spent ? spendCounter(call.key.id(), l.budget().period(), now) : null;
        if (spend != null) ops.add(new Counters.AddIfPresent(spend, units(call.cost)));
        try {
            long[] v = counters.batch(ops);
            if (spend != null && v[v.length - 1] == Counters.ABSENT) {
                // gone since the check (a new period, a changed budget, a flushed Redis): the ledger first, then this call
                seedSpend(call.key.id(), l.budget().period(), now);
                counters.batch(List.of(new Counters.AddIfPresent(spend, units(call.cost))));
            }
        } catch (RuntimeException storeFailed) {
            storeFailed(storeFailed);
        }
    }

    /** Forgets a key's spend counters, so the next check starts again from the ledger (its budget was changed). */
    public void budgetChanged(String keyId) {
        Instant now = clock.instant();
        try {
            for (BudgetPeriod p : BudgetPeriod.values()) counters.delete(spendCounter(keyId, p, now));
        } catch (RuntimeException storeFailed) {
            storeFailed(storeFailed);
        }
    }

    /** A key's limits and where it stands against them, for {@code GET /v1/usage}. */
    public Map<String, Object> status(ApiKey key) {
        KeyLimits l = key.limits();
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limits", KeyLimitsJson.describe(l));
        try {
            if (l.budget() != null) {
                long units = counters.batch(List.of(new Counters.Read(spendCounter(key.id(), l.budget().period(), now))))[0];
                if (units == Counters.ABSENT) units = seedSpend(key.id(), l.budget().period(), now);
                BigDecimal spent = BigDecimal.valueOf(units, SPEND_SCALE);
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("amount", KeyLimitsJson.dollars(l.budget().amount()));
                b.put("period", l.budget().period().wireName());
                b.put("spent", KeyLimitsJson.dollars(spent));
                b.put("remaining", KeyLimitsJson.dollars(l.budget().amount().subtract(spent).max(BigDecimal.ZERO)));
                b.put("resets_at", l.budget().period().end(now).map(Instant::toString).orElse(null));
                out.put("budget", b);
            } else {
                out.put("budget", null);
            }
            long[] rates = counters.batch(List.of(new Counters.Read(requestsCounter(key.id(), minute)),
                    new Counters.Read(tokensCounter(key.id(), minute))));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", Math.max(0, rates[0]));
            m.put("tokens", Math.max(0, rates[1]));
            m.put("resets_in_seconds", 60 - now.getEpochSecond() % 60);
            out.put("this_minute", m);
        } catch (RuntimeException storeFailed) {
            storeFailed(storeFailed);
        }
        return out;
    }

    /** Creates a spend counter from the ledger (what the key was billed since the period began) and answers it. */
    private long seedSpend(String keyId, BudgetPeriod period, Instant now) {
        return counters.getOrSeed(spendCounter(keyId, period, now),
                () -> units(history.billedSince(keyId, period.start(now))), spendTtl(period));
    }

    private static GatewayError rateLimited(ApiKey key, String what, String label, long limit, Instant now) {
        long retry = 60 - now.getEpochSecond() % 60;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("retry-after", Long.toString(retry));
        headers.put("x-ratelimit-limit-" + what, Long.toString(limit));
        headers.put("x-ratelimit-remaining-" + what, "0");
        headers.put("x-ratelimit-reset-" + what, retry + "s");
        return new GatewayError(429, what, "rate_limit_exceeded", null, "Rate limit reached for API key '" + key.name()
                + "' on " + label + ": limit " + limit + ". Please try again in " + retry + "s.", headers);
    }

    private static GatewayError budgetSpent(ApiKey key, Budget budget, BigDecimal spent, Instant now) {
        Optional<Instant> reset = budget.period().end(now);
        Map<String, String> headers = new LinkedHashMap<>();
        // the official SDKs retry a 429 unless told not to; waiting cannot help before the period ends
        headers.put("x-should-retry", "false");
        reset.ifPresent(at -> headers.put("retry-after", Long.toString(Math.max(1, Duration.between(now, at).toSeconds()))));
        return new GatewayError(429, "insufficient_quota", "insufficient_quota", null,
                "You exceeded your current quota: API key '" + key.name() + "' has spent $" + KeyLimitsJson.dollars(spent)
                        + " of its " + budget.period().wireName() + " budget of $" + KeyLimitsJson.dollars(budget.amount()) + "."
                        + reset.map(at -> " The budget renews at " + at + ".").orElse(""), headers);
    }

    private void reject(String reason) {
        meters.counter("canaryllm.limit.rejections", "reason", reason).increment();
    }

    private void storeFailed(RuntimeException e) {
        storeErrors.increment();
        long now = System.currentTimeMillis();
        if (now >= nextStoreWarning) {
            nextStoreWarning = now + 10_000;
            LOG.warn("limit counters unavailable ({}); calls are let through: {}", counters.describe(), e.toString());
        }
    }

    static String requestsCounter(String keyId, long minute) { return "rpm:" + keyId + ":" + minute; }

    static String tokensCounter(String keyId, long minute) { return "tpm:" + keyId + ":" + minute; }

    static String spendCounter(String keyId, BudgetPeriod period, Instant now) {
        return "spend:" + keyId + ":" + period.window(now);
    }

    /** A period's counter outlives the period by a day, so a late call in it still finds the counter. */
    private static long spendTtl(BudgetPeriod period) {
        return switch (period) {
            case DAILY -> Duration.ofDays(2).toSeconds();
            case MONTHLY -> Duration.ofDays(32).toSeconds();
            case TOTAL -> 0;
        };
    }

    /** Dollars as whole 10^-12 units, rounded up: a budget never undercounts. */
    static long units(BigDecimal dollars) {
        return dollars.movePointRight(SPEND_SCALE).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
