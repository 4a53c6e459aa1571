package io.canaryllm.canonical;

/**
 * Token counts, following protocols.md 5.8: {@code input} is the whole prompt INCLUDING cache reads and writes,
 * {@code output} INCLUDES reasoning tokens. Wire codecs add or subtract the cache parts as their protocol needs.
 */
public record Usage(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    public long total() { return input + output; }

    public Usage withOutput(long newOutput) { return new Usage(input, newOutput, cacheRead, cacheWrite, reasoning); }
}
