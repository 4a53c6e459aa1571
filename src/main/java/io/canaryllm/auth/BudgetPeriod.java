package io.canaryllm.auth;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** The period a spend budget covers. Periods start at 00:00 UTC (a day, or the 1st of a month); TOTAL never resets. */
public enum BudgetPeriod {
    DAILY, MONTHLY, TOTAL;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<BudgetPeriod> parse(String s) {
        if (s == null) return Optional.empty();
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "daily", "day" -> Optional.of(DAILY);
            case "monthly", "month" -> Optional.of(MONTHLY);
            case "total", "lifetime" -> Optional.of(TOTAL);
            default -> Optional.empty();
        };
    }

    /** When the period holding {@code now} began. */
    public Instant start(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (this) {
            case DAILY -> day.atStartOfDay().toInstant(ZoneOffset.UTC);
            case MONTHLY -> day.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case TOTAL -> Instant.EPOCH;
        };
    }

    /** When the period holding {@code now} ends (the budget is whole again); empty for TOTAL. */
    public Optional<Instant> end(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (this) {
            case DAILY -> Optional.of(day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            case MONTHLY -> Optional.of(day.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            case TOTAL -> Optional.empty();
        };
    }

    /** A name for the period holding {@code now}, part of its spend counter's name ({@code d2026-11-27}, {@code m2026-11}). */
    public String window(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (this) {
            case DAILY -> "d" + day;
            case MONTHLY -> "m" + day.toString().substring(0, 7);
            case TOTAL -> "total";
        };
    }
}
