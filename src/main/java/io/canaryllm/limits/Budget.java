package io.canaryllm.limits;

import java.math.BigDecimal;

/** A spend budget in US dollars (billed cost, markup included) per {@link BudgetPeriod}. */
public record Budget(BigDecimal amount, BudgetPeriod period) {}
