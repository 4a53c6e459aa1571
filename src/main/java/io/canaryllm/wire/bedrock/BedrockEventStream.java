package io.canaryllm.wire.bedrock;

import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.StreamFraming;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS event-stream framing (ConverseStream's {@code application/vnd.amazon.eventstream}) → events. Each message is
 * {@code total length, headers length, prelude CRC, headers, payload, message CRC}; whole messages are decoded by the
 * AWS event-stream library ({@link Message#decode}), which checks both CRCs. This class only finds where a message
 * ends, keeping the bytes of a message split across network reads (and checking the prelude's CRC before trusting its
 * length, so a corrupt length never makes it wait for bytes that will not come).
 *
 * <p>Out: an {@code event} message as {@code SseEvent(:event-type, payload)}; an {@code exception} message as
 * {@code SseEvent("exception:" + :exception-type, payload)}; an {@code error} message as
 * {@code SseEvent("exception:" + :error-code, {"message": :error-message})}; a message that fails its checks as one
 * {@code SseEvent(CORRUPT, reason)}, after which the rest of the stream is ignored (its framing is lost).
 */
public final class BedrockEventStream implements StreamFraming {
    /** The event name of a frame that failed its checks. */
    public static final String CORRUPT = "canaryllm:corrupt";
    /** The prefix of an exception frame's event name. */
    public static final String EXCEPTION = "exception:";
    private static final int PRELUDE = 12;
    /** Headers 128 KiB and payload 16 MiB at most (the format's limits), plus the prelude and message CRC. */
    private static final int MAX_MESSAGE = 16 + 131_072 + 16 * 1024 * 1024;

    private byte[] buffer = new byte[8192];
    private int length;
    private boolean broken;

    @Override
    public List<SseEvent> feed(byte[] bytes) {
        if (broken) return List.of();
        append(bytes);
        List<SseEvent> out = new ArrayList<>();
        int offset = 0;
        while (length - offset >= PRELUDE) {
            ByteBuffer view = ByteBuffer.wrap(buffer, offset, length - offset);
            int total = view.getInt(offset);
            CRC32 crc = new CRC32();
            crc.update(buffer, offset, 8);
            if (crc.getValue() != Integer.toUnsignedLong(view.getInt(offset + 8)) || total < 16 || total > MAX_MESSAGE) {
                return corrupt(out, "event-stream prelude checksum failure");
            }
            if (length - offset < total) break;
            Message message;
            try {
                message = Message.decode(ByteBuffer.wrap(buffer, offset, total).slice());
            } catch (RuntimeException e) {
                return corrupt(out, e.getMessage());
            }
            offset += total;
            out.add(event(message));
        }
        if (offset > 0) {
            System.arraycopy(buffer, offset, buffer, 0, length - offset);
            length -= offset;
        }
        return out;
    }

    /** Bytes of an unfinished message are dropped: the decoder reports the stream as ended early. */
    @Override
    public List<SseEvent> finish() { return List.of(); }

    private static SseEvent event(Message message) {
        Map<String, HeaderValue> headers = message.getHeaders();
        String type = header(headers, ":message-type", "event");
        String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
        return switch (type) {
            case "exception" -> new SseEvent(EXCEPTION + header(headers, ":exception-type", "unknownException"), payload);
            case "error" -> new SseEvent(EXCEPTION + header(headers, ":error-code", "unknownError"),
                    "{\"message\":" + quote(header(headers, ":error-message", "")) + "}");
            default -> new SseEvent(header(headers, ":event-type", ""), payload);
        };
    }

    private static String header(Map<String, HeaderValue> headers, String name, String fallback) {
        HeaderValue v = headers.get(name);
        return v == null ? fallback : v.getString();
    }

    private static String quote(String s) {
        return io.canaryllm.wire.sse.Sse.json(com.fasterxml.jackson.databind.node.TextNode.valueOf(s));
    }

    private List<SseEvent> corrupt(List<SseEvent> out, String reason) {
        broken = true;
        buffer = new byte[0];
        length = 0;
        out.add(new SseEvent(CORRUPT, reason == null ? "event-stream checksum failure" : reason));
        return out;
    }

    private void append(byte[] bytes) {
        if (length + bytes.length > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + bytes.length));
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }
}
