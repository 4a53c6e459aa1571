package io.canaryllm.translate;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.SseParser;
import io.canaryllm.wire.sse.StreamFraming;
import io.canaryllm.wire.sse.StreamDecoder;
import io.canaryllm.wire.sse.StreamEncoder;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.Usage;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One translated stream: upstream bytes → the upstream wire's {@link StreamFraming} (SSE: {@link SseParser}) → upstream {@link StreamDecoder} → canonical events
 * → client {@link StreamEncoder} → client SSE bytes. Each call returns what to write (and flush) now, possibly
 * nothing. Not thread-safe: one per stream, driven by the thread that reads the upstream.
 */
public final class StreamTranslator {

    private static final byte[] NOTHING = new byte[0];

    private final StreamFraming parser;
    private final StreamDecoder decoder;
    private final StreamEncoder encoder;
    private Usage usage = Usage.ZERO;

    public StreamTranslator(StreamDecoder decoder, StreamEncoder encoder) {
        this(new SseParser(), decoder, encoder);
    }

    /** @param framing how the upstream's bytes split into events (SSE, or binary frames) */
    public StreamTranslator(StreamFraming framing, StreamDecoder decoder, StreamEncoder encoder) {
        this.parser = framing;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** One stream from {@code upstream} to a caller of {@code client}, as the two wires' descriptors build it. */
    public static StreamTranslator between(Protocol upstream, Protocol client, ClientRequest request, String clientModel,
                                           long estimatedInputTokens) {
        return new StreamTranslator(Wires.of(upstream).streamFraming(), Wires.of(upstream).streamDecoder(),
                Wires.of(client).streamEncoder(request, clientModel, upstream, estimatedInputTokens));
    }

    /** The client encoder, e.g. to read {@code ResponsesStreamEncoder.finalResponse()} once the stream finished. */
    public StreamEncoder encoder() { return encoder; }

    public byte[] onUpstreamBytes(byte[] piece) {
        if (encoder.finished()) return NOTHING;
        StringBuilder out = new StringBuilder();
        for (SseEvent e : parser.feed(piece)) encode(decoder.onEvent(e), out);
        return bytes(out);
    }

    /** The upstream closed: the last frames, or the client-format error when it never finished. */
    public byte[] onUpstreamEnd() {
        if (encoder.finished()) return NOTHING;
        StringBuilder out = new StringBuilder();
        for (SseEvent e : parser.finish()) encode(decoder.onEvent(e), out);
        encode(decoder.onEnd(), out);
        return bytes(out);
    }

    /** The upstream broke (I/O error, idle timeout …): the client-format error frame; nothing after a finish. */
    public byte[] onFailure(int status, String type, String message) {
        if (encoder.finished()) return NOTHING;
        StringBuilder out = new StringBuilder();
        encode(List.of(new StreamEvent.StreamError(status, type, message)), out);
        return bytes(out);
    }

    /** Tokens seen so far (for accounting, also after a disconnect). */
    public Usage usage() { return usage; }

    /** True once the client got a terminal frame: normal end or error. */
    public boolean finished() { return encoder.finished(); }

    private void encode(List<StreamEvent> events, StringBuilder out) {
        for (StreamEvent ev : events) {
            switch (ev) {
                case StreamEvent.MessageStart s -> usage = s.usage();
                case StreamEvent.UsageUpdate u -> usage = u.usage();
                case StreamEvent.MessageStop m -> { if (m.usage() != null) usage = m.usage(); }
                default -> { }
            }
            encoder.encode(ev, out);
        }
    }

    private static byte[] bytes(StringBuilder out) {
        return out.isEmpty() ? NOTHING : out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
