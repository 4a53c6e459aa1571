package io.canaryllm.auth;

import java.math.BigDecimal;

/** A spend budget in US dollars (billed cost, markup included) per {@link BudgetPeriod}. */
public record Budget(BigDecimal amount, BudgetPeriod period) {
    /** The amount without trailing zeros (12.50 and 12.5000000000 from the database are one amount), never 1E+2. */
    public Budget {
        BigDecimal plain = amount.stripTrailingZeros();
        amount = plain.scale() < 0 ? plain.setScale(0) : plain;
    }
}
