package io.canaryllm.catalogue;

import java.util.Arrays;
import java.util.Locale;

/** How a model's pool picks a deployment for each call ({@code strategy:} in the catalogue). */
public enum Strategy {
    /** Shares by weight, spread evenly in time (smooth weighted round robin): 3:1 is A A B A, not A A A B. */
    WEIGHTED("weighted"),
    /** The deployment with the fewest calls open now, relative to its weight. */
    LEAST_IN_FLIGHT("least-in-flight"),
    /** The deployment with the lowest moving average of time to first byte; ones with no recent sample are tried. */
    LOWEST_LATENCY("lowest-latency");

    private final String id;

    Strategy(String id) { this.id = id; }

    public String id() { return id; }

    public static Strategy of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown strategy '" + id + "' (weighted, least-in-flight, lowest-latency)"));
    }
}
