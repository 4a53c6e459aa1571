package io.canaryllm.translate;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.anthropic.AnthropicStreamDecoder;
import io.canaryllm.wire.anthropic.AnthropicStreamEncoder;
import io.canaryllm.wire.gemini.GeminiStreamDecoder;
import io.canaryllm.wire.openai.chat.OpenAiChatStreamDecoder;
import io.canaryllm.wire.openai.chat.OpenAiChatStreamEncoder;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import io.canaryllm.wire.openai.responses.ResponsesStreamEncoder;
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
     * @param estimatedInputTokens shown to Anthropic clients in {@code message_start} when the upstream reports input
     *                             tokens only at the end (see {@link TokenEstimate}); 0 when unknown
     */
    public static StreamTranslator of(Protocol from, Protocol to, boolean clientWantsUsage, String clientModel,
                                      long estimatedInputTokens) {
        StreamDecoder decoder = decoder(from);
        StreamEncoder encoder = switch (to) {
            case OPENAI_CHAT -> new OpenAiChatStreamEncoder(clientModel, clientWantsUsage);
            case ANTHROPIC -> new AnthropicStreamEncoder(clientModel, estimatedInputTokens, from);
            // without the decoded request: custom/namespaced tool names cannot be restored; prefer ofResponses
            case OPENAI_RESPONSES -> new ResponsesStreamEncoder(clientModel, null, from);
            case GEMINI -> throw new IllegalArgumentException("no client speaks Gemini");
        };
        return new StreamTranslator(decoder, encoder);
    }

    /**
     * A stream for a Responses client: the encoder needs the decoded request to give back custom and namespaced tool
     * names and to echo the request's parameters.
     */
    public static StreamTranslator ofResponses(Protocol from, String clientModel, ResponsesRequests.Decoded decoded) {
        return new StreamTranslator(decoder(from), new ResponsesStreamEncoder(clientModel, decoded, from));
    }

    /** The upstream wire's stream decoder. */
    public static StreamDecoder decoder(Protocol from) {
        return switch (from) {
            case OPENAI_CHAT -> new OpenAiChatStreamDecoder();
            case ANTHROPIC -> new AnthropicStreamDecoder();
            case GEMINI -> new GeminiStreamDecoder();
            case OPENAI_RESPONSES -> throw new IllegalArgumentException("Responses upstreams are passed through");
        };
    }

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
