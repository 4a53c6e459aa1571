package io.canaryllm.canonical;

import java.util.List;

/** Sampling knobs; null means "not given", so each upstream keeps its own default. */
public record Sampling(Double temperature, Double topP, Integer topK, List<String> stopSequences) {
    public static final Sampling DEFAULT = new Sampling(null, null, null, List.of());

    public Sampling {
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }
}
