package io.canaryllm.catalogue;

import io.canaryllm.canonical.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PricesTest {
    @Test
    void listPricePerMillionBecomesTheBilledPricePerTokenWithMarkupExactly() {
        Prices list = Prices.perMillion(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125"), BigDecimal.ZERO);
        Prices billed = list.withMarkup(new BigDecimal("0.25"));
        // 0.00000125 × 1.25 = 0.0000015625: every digit kept, none rounded away
        assertEquals("0.0000015625", billed.input().toPlainString());
        assertEquals("0.0000125", billed.output().toPlainString());
        assertEquals("1.5625E-7", billed.cacheRead().toString());
        assertSame(BigDecimal.ZERO, billed.cacheWrite(), "a free price stays plain zero");
    }

    @Test
    void thePublishedPriceIsTheBilledPriceRoundedToFourSignificantDigits() {
        Prices billed = Prices.perMillion(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125"), BigDecimal.ZERO)
                .withMarkup(new BigDecimal("0.25"));
        Prices published = billed.published();
        assertEquals("0.000001563", published.input().toPlainString(), "0.0000015625 rounds half up");
        assertEquals("0.0000125", published.output().toPlainString(), "trailing zeros stripped");
        assertEquals("1.563E-7", published.cacheRead().toString());
        assertSame(BigDecimal.ZERO, published.cacheWrite(), "a free price stays plain zero");
        assertEquals("0.0000015625", billed.input().toPlainString(), "rounding for publication leaves the billed price exact");
        // $1.50/$9 per M (gemini-3.5-flash): four digits or fewer, published as they are
        Prices flash = Prices.perMillion(new BigDecimal("1.50"), new BigDecimal("9"), new BigDecimal("0.15"), BigDecimal.ZERO)
                .withMarkup(new BigDecimal("0.25")).published();
        assertEquals("0.000001875", flash.input().toPlainString());
        assertEquals("0.00001125", flash.output().toPlainString());
        assertEquals("0.0000001875", flash.cacheRead().toPlainString());
    }

    @Test
    void theCatalogueBillsTheExactPriceAndPublishesTheRoundedOne() throws Exception {
        Catalogue catalogue = CatalogueLoader.load(java.nio.file.Path.of("config/catalogue.yaml"));
        ModelSpec pro = catalogue.resolve("gemini/gemini-2.5-pro").model();
        assertEquals("0.0000015625", catalogue.billedPrices(pro).orElseThrow().input().toPlainString());
        assertEquals("0.000001563", catalogue.publishedPrices(pro).orElseThrow().input().toPlainString());
        // a million input tokens: $1.5625 billed (Metering bills with billedPrices), not the published $1.563
        Usage million = new Usage(1_000_000, 0, 0, 0, 0);
        assertEquals("1.5625", catalogue.billedPrices(pro).orElseThrow().cost(million).toPlainString());
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
