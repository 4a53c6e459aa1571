package io.canaryllm.catalogue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Prices in US dollars per token. */
public record Prices(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Published prices keep four significant digits: $1.25/M × 1.25 = 0.0000015625 → 0.000001563. */
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

    /** The price the gateway bills and publishes: list price × (1 + markup), rounded for display. */
    public Prices withMarkup(BigDecimal markup) {
        BigDecimal factor = BigDecimal.ONE.add(markup);
        return new Prices(mark(input, factor), mark(output, factor), mark(cacheRead, factor), mark(cacheWrite, factor));
    }

    private static BigDecimal mark(BigDecimal price, BigDecimal factor) {
        BigDecimal v = price.multiply(factor);
        return v.signum() == 0 ? BigDecimal.ZERO : v.round(PUBLISHED).stripTrailingZeros();
    }
}
