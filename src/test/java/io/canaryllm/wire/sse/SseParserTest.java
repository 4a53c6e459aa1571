package io.canaryllm.wire.sse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

    private static List<SseEvent> feedBytewise(String text) {
        SseParser p = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) out.addAll(p.feed(new byte[] {b}));
        out.addAll(p.finish());
        return out;
    }

    @Test
    void shouldSplitEventsOnBlankLinesWithEveryLineTerminator() {
        String text = "event: a\ndata: 1\n\nevent: b\r\ndata: 2\r\n\r\nevent: c\rdata: 3\r\r";
        assertEquals(List.of(new SseEvent("a", "1"), new SseEvent("b", "2"), new SseEvent("c", "3")), feedBytewise(text));
    }

    @Test
    void shouldJoinMultiLineDataAndSkipComments() {
        assertEquals(List.of(new SseEvent(null, "line1\nline2")), feedBytewise(": keep-alive\n\ndata: line1\ndata: line2\n\n"));
    }

    @Test
    void shouldDecodeMultiByteCharacterSplitAcrossChunks() {
        byte[] all = "data: {\"t\":\"héllo €\"}\n\n".getBytes(StandardCharsets.UTF_8);
        SseParser p = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        int split = 11; // inside the two-byte é
        out.addAll(p.feed(java.util.Arrays.copyOfRange(all, 0, split)));
        out.addAll(p.feed(java.util.Arrays.copyOfRange(all, split, all.length)));
        assertEquals(List.of(new SseEvent(null, "{\"t\":\"héllo €\"}")), out);
    }

    @Test
    void shouldKeepCrLfSplitAcrossChunksAsOneTerminator() {
        SseParser p = new SseParser();
        List<SseEvent> out = new ArrayList<>(p.feed("data: x\r".getBytes(StandardCharsets.UTF_8)));
        out.addAll(p.feed("\n\r".getBytes(StandardCharsets.UTF_8)));
        out.addAll(p.feed("\ndata: y\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(new SseEvent(null, "x"), new SseEvent(null, "y")), out);
    }

    @Test
    void shouldKeepTrailingPaddingForTheJsonParserToIgnore() {
        assertEquals(List.of(new SseEvent("content_block_stop", "{\"index\":0        }")),
                feedBytewise("event: content_block_stop\ndata: {\"index\":0        }\n\n"));
    }

    @Test
    void shouldDispatchLastEventWithoutFinalBlankLine() {
        assertEquals(List.of(new SseEvent(null, "[DONE]")), feedBytewise("data: [DONE]"));
    }
}
