package io.canaryllm.metering;

import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Protocol;
import io.canaryllm.translate.Wires;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The passthrough's usage tap reads the counts however the upstream's bytes are cut: cuts inside the usage chunk,
 * pieces that end mid-event, a CR split from its LF.
 */
class UsageTapTest {
    private static final String CONTENT = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
    private static final String USAGE = "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}\n\n";
    private static final String STREAM = CONTENT + CONTENT + USAGE + "data: [DONE]\n\n";

    @Test
    void wholeEventPiecesAndTheUsageChunk() {
        assertEquals(new Usage(12, 34, 0, 0, 0), tap(CONTENT, CONTENT, USAGE, "data: [DONE]\n\n"));
    }

    @Test
    void everyCutGivesTheSameCounts() {
        byte[] all = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < all.length; cut++) {
            UsageTap tap = new UsageTap(Wires.of(Protocol.OPENAI_CHAT));
            tap.onPiece(Arrays.copyOfRange(all, 0, cut));
            tap.onPiece(Arrays.copyOfRange(all, cut, all.length));
            assertEquals(new Usage(12, 34, 0, 0, 0), tap.usage(), "cut at " + cut);
        }
    }

    @Test
    void usageEventSplitMidWordAndCrSplitFromLf() {
        // the word "usage" cut in two: the second piece ends with a blank line but starts inside an event begun earlier
        String head = USAGE.substring(0, USAGE.indexOf("usage") + 2);
        String rest = USAGE.substring(head.length());
        assertEquals(new Usage(12, 34, 0, 0, 0), tap(CONTENT, head, rest + CONTENT));
        // a CR-terminated line split from its LF, then whole events
        assertEquals(new Usage(12, 34, 0, 0, 0), tap(CONTENT.replace("\n\n", "\r"), "\n\r\n" + USAGE));
    }

    @Test
    void theTapOfATranslatedStreamReadsNothing() {
        // its translator decodes every event and keeps the usage; this tap must not parse the same bytes again
        UsageTap none = UsageTap.none();
        none.onPiece(STREAM.getBytes(StandardCharsets.UTF_8));
        assertEquals(Usage.ZERO, none.usage());
    }

    private static Usage tap(String... pieces) {
        UsageTap tap = new UsageTap(Wires.of(Protocol.OPENAI_CHAT));
        for (String p : pieces) tap.onPiece(p.getBytes(StandardCharsets.UTF_8));
        return tap.usage();
    }
}
