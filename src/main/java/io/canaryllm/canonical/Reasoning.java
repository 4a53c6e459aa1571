package io.canaryllm.canonical;

/**
 * What the client asked of the model's reasoning.
 *
 * @param enabled      false when the client switched reasoning off explicitly
 * @param budgetTokens a token budget (budget-style protocols) or null
 * @param effort       {@code minimal|low|medium|high|xhigh|max} (effort-style protocols) or null
 */
public record Reasoning(boolean enabled, Integer budgetTokens, String effort) {
    public static final Reasoning DISABLED = new Reasoning(false, null, null);
}
