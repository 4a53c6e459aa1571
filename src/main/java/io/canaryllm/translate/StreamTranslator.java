package io.canaryllm.translate;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.SseParser;
import io.canaryllm.wire.sse.StreamDecoder;
import io.canaryllm.wire.sse.StreamEncoder;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.Usage;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One translated stream: upstream SSE bytes → {@link SseParser} → upstream {@link StreamDecoder} → canonical events
 * → client {@link StreamEncoder} → client SSE bytes. Each call returns what to write (and flush) now, possibly
 * nothing. Not thread-safe: one per stream, driven by the thread that reads the upstream.
 */
public final class StreamTranslator {

    private static final byte[] NOTHING = new byte[0];

    private final SseParser parser = new SseParser();
    private final StreamDecoder decoder;
    private final StreamEncoder encoder;
    private Usage usage = Usage.ZERO;

    public StreamTranslator(StreamDecoder decoder, StreamEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    public static StreamTranslator of(Protocol from, Protocol to, boolean clientWantsUsage, String clientModel) {
        return of(from, to, clientWantsUsage, clientModel, 0);
    }

    /**
     * A translator between two wires for a caller whose request is not at hand (tests, the mock): a Responses client
     * then gets no custom or namespaced tool names back (prefer {@link #ofResponses}).
     *
     * @param estimatedInputTokens shown to Anthropic clients in {@code message_start} when the upstream reports input
     *                             tokens only at the end (see {@code TokenEstimate}); 0 when unknown
     */
    public static StreamTranslator of(Protocol from, Protocol to, boolean clientWantsUsage, String clientModel,
                                      long estimatedInputTokens) {
        ClientRequest request = new ClientRequest() {
            @Override public io.canaryllm.canonical.ChatRequest canonical() { return null; }
            @Override public boolean wantsStreamUsage() { return clientWantsUsage; }
        };
        return new StreamTranslator(decoder(from), Wires.of(to).streamEncoder(request, clientModel, from, estimatedInputTokens));
    }

    /** A stream for a Responses client, which gives back its custom and namespaced tool names and echoes its parameters. */
    public static StreamTranslator ofResponses(Protocol from, String clientModel, ClientRequest decoded) {
        return new StreamTranslator(decoder(from), Wires.of(Protocol.OPENAI_RESPONSES).streamEncoder(decoded, clientModel, from, 0));
    }

    /** The upstream wire's stream decoder. */
    public static StreamDecoder decoder(Protocol from) { return Wires.of(from).streamDecoder(); }

    /** The client encoder, e.g. to read {@link ResponsesStreamEncoder#finalResponse()} once the stream finished. */
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
