package io.canaryllm.wire.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental SSE parser (protocols.md section 0, pitfalls 41 and 47): bytes in as they arrive, complete events out.
 * Lines are split on bytes, and only whole lines are decoded, so a UTF-8 character split across network chunks is
 * decoded once both halves are here ({@code \r} and {@code \n} never occur inside a multi-byte sequence). Accepts
 * {@code \n}, {@code \r\n} and {@code \r}; ignores comments; joins multi-line data with {@code \n}. One per stream.
 */
public final class SseParser implements StreamFraming {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String event;
    /** The previous chunk ended with {@code \r}: a {@code \n} starting the next one belongs to the same terminator. */
    private boolean afterCr;

    @Override
    public List<SseEvent> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    public List<SseEvent> feed(byte[] bytes, int offset, int length) {
        List<SseEvent> out = new ArrayList<>();
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCr) {
                afterCr = false;
                start = i + 1;
                continue;
            }
            afterCr = false;
            if (b == '\n' || b == '\r') {
                line.write(bytes, start, i - start);
                endOfLine(out);
                afterCr = b == '\r';
                start = i + 1;
            }
        }
        line.write(bytes, start, end - start);
        return out;
    }

    /** The stream ended: a last event without its blank line still counts (some servers omit the final one). */
    @Override
    public List<SseEvent> finish() {
        List<SseEvent> out = new ArrayList<>();
        if (line.size() > 0) endOfLine(out);
        dispatch(out);
        return out;
    }

    private void endOfLine(List<SseEvent> out) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch(out);
            return;
        }
        if (text.charAt(0) == ':') return; // comment / keep-alive
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "data" -> {
                if (hasData) data.append('\n');
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            default -> { } // id, retry, unknown fields: nothing the gateway uses
        }
    }

    private void dispatch(List<SseEvent> out) {
        if (hasData) out.add(new SseEvent(event, data.toString()));
        data.setLength(0);
        hasData = false;
        event = null;
    }
}
