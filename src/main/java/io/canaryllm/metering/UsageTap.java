package io.canaryllm.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.SseParser;
import io.canaryllm.wire.mapping.UsageCodec;

import java.io.IOException;

/**
 * Reads the token counts out of a stream that is relayed untouched. Only events that mention {@code usage} are
 * parsed as JSON (the OpenAI usage chunk; Anthropic's {@code message_start} and {@code message_delta}), so the
 * passthrough stays free of per-event JSON work. One tap per stream.
 */
public final class UsageTap {
    /** How the upstream reports usage (protocols.md 5.8). */
    public enum Dialect { OPENAI_CHAT, ANTHROPIC, RESPONSES }

    private final Dialect dialect;
    private final SseParser parser = new SseParser();
    private Usage usage = Usage.ZERO;

    public UsageTap(Dialect dialect) { this.dialect = dialect; }

    public void onPiece(byte[] piece) {
        for (SseEvent event : parser.feed(piece)) {
            String data = event.data();
            if (data == null || !data.contains("usage")) continue;
            try {
                read(Json.MAPPER.readTree(data));
            } catch (IOException notJson) {
                // not ours to judge: the client gets the bytes as they came
            }
        }
    }

    private void read(JsonNode json) {
        switch (dialect) {
            case OPENAI_CHAT -> {
                if (json.path("usage").isObject()) usage = UsageCodec.fromOpenAi(json.path("usage"));
            }
            case RESPONSES -> {
                JsonNode u = json.path("response").path("usage");
                if (u.isObject()) usage = fromResponses(u);
            }
            case ANTHROPIC -> {
                JsonNode u = "message_start".equals(json.path("type").asText()) ? json.path("message").path("usage") : json.path("usage");
                if (u.isObject()) usage = UsageCodec.fromAnthropic(u, usage);
            }
        }
    }

    public Usage usage() { return usage; }

    /**
     * Responses usage: input includes cached tokens, output includes reasoning (protocols.md 3.3). Cache writes are
     * the gateway's own {@code input_tokens_details.cache_write_tokens}, written when it translates an upstream that
     * reports them (Anthropic's {@code cache_creation_input_tokens}), as in OpenAI Chat usage: without it they were
     * billed as plain input.
     */
    public static Usage fromResponses(JsonNode u) {
        JsonNode in = u.path("input_tokens_details");
        return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                in.path("cached_tokens").asLong(), in.path("cache_write_tokens").asLong(),
                u.path("output_tokens_details").path("reasoning_tokens").asLong());
    }
}
