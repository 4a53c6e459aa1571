package io.canaryllm.catalogue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Prices in US dollars per token. */
public record Prices(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Published prices keep four significant digits: $1.25/M × 1.25 = 0.0000015625 is published as 0.000001563. */
    private static final MathContext PUBLISHED = new MathContext(4, RoundingMode.HALF_UP);

    public static Prices perMillion(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
        return new Prices(perToken(input), perToken(output), perToken(cacheRead), perToken(cacheWrite));
    }

    private static BigDecimal perToken(BigDecimal perMillion) {
        return perMillion.divide(MILLION);
    }

    /** What {@code usage} costs at these prices; input beyond the cache reads and writes is billed as plain input. */
    public BigDecimal cost(io.canaryllm.canonical.Usage usage) {
        long plainInput = Math.max(0, usage.input() - usage.cacheRead() - usage.cacheWrite());
        return input.multiply(BigDecimal.valueOf(plainInput))
                .add(output.multiply(BigDecimal.valueOf(usage.output())))
                .add(cacheRead.multiply(BigDecimal.valueOf(usage.cacheRead())))
                .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWrite())))
                .stripTrailingZeros();
    }

    /**
     * The price the gateway bills: list price × (1 + markup), exactly, never rounded, so a bill is list price × tokens
     * × (1 + markup) to the last digit ($1.25/M × 1.25 = 0.0000015625 per token). Only {@link #published()} rounds.
     */
    public Prices withMarkup(BigDecimal markup) {
        BigDecimal factor = BigDecimal.ONE.add(markup);
        return new Prices(mark(input, factor), mark(output, factor), mark(cacheRead, factor), mark(cacheWrite, factor));
    }

    /**
     * These prices as the catalogue publishes them: four significant digits, half up (0.0000015625 → 0.000001563).
     * For display only: the ledger bills from the exact {@link #withMarkup} prices, so a bill never carries the
     * rounding of the published figure times the token count.
     */
    public Prices published() {
        return new Prices(publish(input), publish(output), publish(cacheRead), publish(cacheWrite));
    }

    private static BigDecimal publish(BigDecimal price) {
        return price.signum() == 0 ? BigDecimal.ZERO : price.round(PUBLISHED).stripTrailingZeros();
    }

    private static BigDecimal mark(BigDecimal price, BigDecimal factor) {
        BigDecimal v = price.multiply(factor);
        return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }
}
