package io.canaryllm.catalogue;

import io.canaryllm.canonical.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PricesTest {
    @Test
    void listPricePerMillionBecomesPublishedPricePerTokenWithMarkupExactly() {
        Prices list = Prices.perMillion(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125"), BigDecimal.ZERO);
        Prices published = list.withMarkup(new BigDecimal("0.25"));
        // 0.00000125 × 1.25 = 0.0000015625: every digit kept, none rounded away
        assertEquals("0.0000015625", published.input().toPlainString());
        assertEquals("0.0000125", published.output().toPlainString());
        assertEquals("1.5625E-7", published.cacheRead().toString());
        assertSame(BigDecimal.ZERO, published.cacheWrite(), "a free price stays plain zero");
    }

    @Test
    void billedCostIsListPriceTimesTokensTimesOnePlusMarkupToTheLastDigit() {
        BigDecimal markup = new BigDecimal("0.25");
        Prices list = Prices.perMillion(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"));
        // 1000 prompt tokens of which 300 cache reads and 200 cache writes: 500 plain input
        Usage usage = new Usage(1000, 77, 300, 200, 0);
        BigDecimal listCost = list.cost(usage);
        BigDecimal expectedList = new BigDecimal("3").multiply(BigDecimal.valueOf(500))
                .add(new BigDecimal("15").multiply(BigDecimal.valueOf(77)))
                .add(new BigDecimal("0.30").multiply(BigDecimal.valueOf(300)))
                .add(new BigDecimal("3.75").multiply(BigDecimal.valueOf(200)))
                .divide(BigDecimal.valueOf(1_000_000));
        assertEquals(0, expectedList.compareTo(listCost), listCost.toPlainString());
        BigDecimal billed = list.withMarkup(markup).cost(usage);
        assertEquals(0, expectedList.multiply(BigDecimal.ONE.add(markup)).compareTo(billed), billed.toPlainString());
        assertEquals("0.003495", listCost.toPlainString());
        assertEquals("0.00436875", billed.toPlainString());
    }

    @Test
    void aMarkupOfZeroKeepsTheListPrice() {
        Prices list = Prices.perMillion(new BigDecimal("0.40"), new BigDecimal("1.60"), new BigDecimal("0.10"), BigDecimal.ZERO);
        Prices same = list.withMarkup(BigDecimal.ZERO);
        assertEquals(0, list.input().compareTo(same.input()));
        assertEquals(0, list.output().compareTo(same.output()));
        assertEquals(0, list.cacheRead().compareTo(same.cacheRead()));
        assertSame(BigDecimal.ZERO, same.cacheWrite());
    }
}
