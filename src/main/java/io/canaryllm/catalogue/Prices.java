package io.canaryllm.catalogue;

import java.math.BigDecimal;

/** Prices in US dollars per token. */
public record Prices(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

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
     * The price the gateway bills and publishes: list price × (1 + markup), exactly, never rounded, so a bill is list
     * price × tokens × (1 + markup) to the last digit ($1.25/M × 1.25 = 0.0000015625 per token).
     */
    public Prices withMarkup(BigDecimal markup) {
        BigDecimal factor = BigDecimal.ONE.add(markup);
        return new Prices(mark(input, factor), mark(output, factor), mark(cacheRead, factor), mark(cacheWrite, factor));
    }

    private static BigDecimal mark(BigDecimal price, BigDecimal factor) {
        BigDecimal v = price.multiply(factor);
        return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }
}
