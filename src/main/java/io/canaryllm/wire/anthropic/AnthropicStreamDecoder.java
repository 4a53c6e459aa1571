package io.canaryllm.wire.anthropic;

import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.StreamDecoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages stream events (protocols.md 2.5) → canonical events. One per stream. Block indices are
 * renumbered: blocks with no canonical meaning (redacted thinking, server-tool blocks, future types) are skipped
 * together with their deltas, so canonical indices stay dense. Pings and unknown events are ignored (pitfall 22).
 */
public final class AnthropicStreamDecoder implements StreamDecoder {
    private final Map<Integer, Integer> indexByBlock = new HashMap<>();
    private int nextIndex;
    private boolean sawToolUse;
    private boolean done;
    private StopReason stopReason;
    private Usage usage = Usage.ZERO;

    @Override
    public List<StreamEvent> onEvent(SseEvent event) {
        List<StreamEvent> out = new ArrayList<>();
        if (done) return out;
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.data().strip()); // Anthropic pads payloads with spaces (section 0)
        } catch (JsonProcessingException e) {
            return out;
        }
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> {
                JsonNode m = data.path("message");
                usage = UsageCodec.fromAnthropic(m.path("usage"), Usage.ZERO);
                out.add(new StreamEvent.MessageStart(m.path("id").asText(null), m.path("model").asText(null), usage));
            }
            case "content_block_start" -> blockStart(data, out);
            case "content_block_delta" -> blockDelta(data, out);
            case "content_block_stop" -> {
                Integer index = indexByBlock.remove(data.path("index").asInt());
                if (index != null) out.add(new StreamEvent.PartStop(index));
            }
            case "message_delta" -> {
                JsonNode reason = data.path("delta").path("stop_reason");
                if (reason.isTextual()) stopReason = StopReasons.fromAnthropic(reason.asText());
                if (data.has("usage")) {
                    usage = UsageCodec.fromAnthropic(data.get("usage"), usage);
                    out.add(new StreamEvent.UsageUpdate(usage));
                }
            }
            case "message_stop" -> {
                done = true;
                out.add(new StreamEvent.MessageStop(StopReasons.withToolCalls(stopReason, sawToolUse), usage));
            }
            case "error" -> {
                done = true;
                JsonNode err = data.path("error");
                String kind = err.path("type").asText("api_error");
                out.add(new StreamEvent.StreamError(statusFor(kind), kind, err.path("message").asText("Upstream error")));
            }
            default -> { } // ping and future event types
        }
        return out;
    }

    @Override
    public List<StreamEvent> onEnd() {
        if (done) return List.of();
        done = true;
        return List.of(StreamDecoder.endedEarly());
    }

    private void blockStart(JsonNode data, List<StreamEvent> out) {
        JsonNode block = data.path("content_block");
        PartKind kind = switch (block.path("type").asText("")) {
            case "text" -> PartKind.TEXT;
            case "thinking" -> PartKind.THINKING;
            case "tool_use" -> PartKind.TOOL_CALL;
            default -> null;
        };
        if (kind == null) return;
        int index = nextIndex++;
        indexByBlock.put(data.path("index").asInt(), index);
        if (kind == PartKind.TOOL_CALL) {
            sawToolUse = true;
            out.add(new StreamEvent.PartStart(index, kind, block.path("id").asText(null), block.path("name").asText(null)));
        } else {
            out.add(new StreamEvent.PartStart(index, kind, null, null));
            // the start block may already carry text (not in practice, but the shape allows it)
            String initial = block.path(kind == PartKind.TEXT ? "text" : "thinking").asText("");
            if (!initial.isEmpty()) {
                out.add(kind == PartKind.TEXT ? new StreamEvent.TextDelta(index, initial) : new StreamEvent.ThinkingDelta(index, initial));
            }
        }
    }

    private void blockDelta(JsonNode data, List<StreamEvent> out) {
        Integer index = indexByBlock.get(data.path("index").asInt());
        if (index == null) return;
        JsonNode d = data.path("delta");
        switch (d.path("type").asText("")) {
            case "text_delta" -> out.add(new StreamEvent.TextDelta(index, d.path("text").asText("")));
            case "thinking_delta" -> out.add(new StreamEvent.ThinkingDelta(index, d.path("thinking").asText("")));
            case "signature_delta" -> out.add(new StreamEvent.SignatureDelta(index, d.path("signature").asText("")));
            case "input_json_delta" -> out.add(new StreamEvent.ToolArgsDelta(index, d.path("partial_json").asText("")));
            default -> { } // citations_delta and future deltas
        }
    }

    /** Anthropic error type → status, the inverse of {@link AnthropicErrors#TYPE_BY_STATUS} for in-stream errors. */
    private static int statusFor(String type) {
        return switch (type) {
            case "overloaded_error" -> 529;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "invalid_request_error" -> 400;
            default -> 500;
        };
    }
}
