package io.canaryllm.catalogue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PricesTest {
    @Test
    void listPricePerMillionBecomesPublishedPricePerTokenWithMarkup() {
        Prices list = Prices.perMillion(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125"), BigDecimal.ZERO);
        Prices published = list.withMarkup(new BigDecimal("0.25"));
        assertEquals("0.000001563", published.input().toPlainString());
        assertEquals("0.0000125", published.output().toPlainString());
        assertEquals("1.563E-7", published.cacheRead().toString());
        assertEquals(BigDecimal.ZERO, published.cacheWrite());
    }
}
