package io.canaryllm.metering;

import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.StreamFraming;

import java.io.IOException;

/**
 * Reads the token counts out of a stream that is relayed untouched, the way its wire reports them
 * ({@link Wire#usageOf}). Only events that mention {@code usage} are parsed as JSON (the OpenAI usage chunk;
 * Anthropic's {@code message_start} and {@code message_delta}), so the passthrough stays free of per-event JSON work.
 * One tap per stream.
 */
public final class UsageTap {
    /** {@link #none()}, shared: it never changes (its usage stays zero). */
    private static final UsageTap NONE = new UsageTap(null, null);
    private final Wire wire;
    private final StreamFraming parser;
    private Usage usage = Usage.ZERO;

    public UsageTap(Wire wire) { this(wire, wire.streamFraming()); }

    private UsageTap(Wire wire, StreamFraming parser) {
        this.wire = wire;
        this.parser = parser;
    }

    /**
     * A tap that reads nothing, for a stream the gateway translates: its translator decodes every event and keeps
     * the usage itself, so parsing the same SSE here was the same work twice (3% of a translated relay's CPU).
     */
    public static UsageTap none() { return NONE; }

    public void onPiece(byte[] piece) {
        if (parser == null) return;
        for (SseEvent event : parser.feed(piece)) {
            String data = event.data();
            if (data == null || !data.contains("usage")) continue;
            try {
                usage = wire.usageOf(Json.MAPPER.readTree(data), usage);
            } catch (IOException notJson) {
                // not ours to judge: the client gets the bytes as they came
            }
        }
    }

    public Usage usage() { return usage; }
}
