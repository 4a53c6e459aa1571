package io.canaryllm.wire.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.StreamDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ConverseStream events (as {@link BedrockEventStream} frames them) → canonical events. One per stream.
 *
 * <p>{@code messageStart}; per content block {@code contentBlockStart} (tool calls only: id and name; a text or
 * reasoning block simply starts with its first delta), {@code contentBlockDelta} ({@code text},
 * {@code toolUse.input} JSON text, {@code reasoningContent.text} / {@code .signature}), {@code contentBlockStop}; then
 * {@code messageStop} with the stop reason and, after it, {@code metadata} with the usage: the canonical
 * {@link StreamEvent.MessageStop} is written when the usage is in (or when the stream closes right after
 * {@code messageStop}). An exception frame ({@code throttlingException}, {@code modelStreamErrorException} …) or a frame
 * that fails its CRC ends the stream with a {@link StreamEvent.StreamError}; so does a stream that closes before
 * {@code messageStop}.
 */
public final class BedrockStreamDecoder implements StreamDecoder {

    /** An exception frame's type → the HTTP-like status the client's error carries. */
    static final Map<String, Integer> STATUS_BY_EXCEPTION = Map.of(
            "throttlingException", 429,
            "validationException", 400,
            "accessDeniedException", 403,
            "resourceNotFoundException", 404,
            "modelTimeoutException", 504,
            "modelStreamErrorException", 502,
            "internalServerException", 502,
            "serviceUnavailableException", 503);

    private boolean started;
    private boolean done;
    private boolean sawCall;
    private StopReason stopReason;
    private int nextIndex;
    /** The canonical index of the open part, -1 when none; its Bedrock block index and kind. */
    private int openIndex = -1;
    private int openBlock = -1;
    private PartKind openKind;
    private Usage usage = Usage.ZERO;

    @Override
    public List<StreamEvent> onEvent(SseEvent event) {
        List<StreamEvent> out = new ArrayList<>();
        if (done) return out;
        String name = event.event() == null ? "" : event.event();
        if (name.equals(BedrockEventStream.CORRUPT)) {
            fail(out, new StreamEvent.StreamError(502, "stream_corrupted", "The Bedrock event stream was corrupted ("
                    + event.data() + ")."));
            return out;
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(event.data() == null || event.data().isBlank() ? "{}" : event.data());
        } catch (JsonProcessingException e) {
            data = Json.MAPPER.createObjectNode();
        }
        if (name.startsWith(BedrockEventStream.EXCEPTION)) {
            String type = name.substring(BedrockEventStream.EXCEPTION.length());
            String message = data.path("message").asText(data.path("Message").asText("Bedrock failed mid-stream."));
            fail(out, new StreamEvent.StreamError(STATUS_BY_EXCEPTION.getOrDefault(type, 502), type, message));
            return out;
        }
        start(out);
        switch (name) {
            case "contentBlockStart" -> {
                JsonNode use = data.path("start").path("toolUse");
                if (use.isObject()) {
                    closeOpen(out);
                    sawCall = true;
                    String id = use.path("toolUseId").asText("");
                    openIndex = nextIndex++;
                    openBlock = data.path("contentBlockIndex").asInt(-1);
                    openKind = PartKind.TOOL_CALL;
                    out.add(new StreamEvent.PartStart(openIndex, PartKind.TOOL_CALL, id.isEmpty() ? Ids.chatToolCall() : id,
                            use.path("name").asText(null)));
                }
            }
            case "contentBlockDelta" -> delta(data.path("contentBlockIndex").asInt(-1), data.path("delta"), out);
            case "contentBlockStop" -> closeOpen(out);
            case "messageStop" -> {
                closeOpen(out);
                stopReason = StopReasons.fromBedrock(data.path("stopReason").asText(null), sawCall);
            }
            case "metadata" -> {
                if (data.path("usage").isObject()) usage = UsageCodec.fromBedrock(data.get("usage"));
                if (stopReason != null) {
                    done = true;
                    out.add(new StreamEvent.MessageStop(stopReason, usage));
                } else {
                    out.add(new StreamEvent.UsageUpdate(usage));
                }
            }
            default -> { } // messageStart (handled above), and events Converse may add later
        }
        return out;
    }

    @Override
    public List<StreamEvent> onEnd() {
        if (done) return List.of();
        done = true;
        // messageStop came but no metadata: the answer is complete, only its usage is unknown
        if (stopReason != null) return List.of(new StreamEvent.MessageStop(stopReason, usage));
        List<StreamEvent> out = new ArrayList<>();
        closeOpen(out);
        out.add(StreamDecoder.endedEarly());
        return out;
    }

    private void delta(int block, JsonNode delta, List<StreamEvent> out) {
        if (delta.path("text").isTextual()) {
            String text = delta.get("text").asText();
            if (!text.isEmpty()) out.add(new StreamEvent.TextDelta(open(PartKind.TEXT, block, out), text));
        } else if (delta.has("toolUse")) {
            String input = delta.get("toolUse").path("input").asText("");
            if (openKind == PartKind.TOOL_CALL && !input.isEmpty()) out.add(new StreamEvent.ToolArgsDelta(openIndex, input));
        } else if (delta.has("reasoningContent")) {
            JsonNode r = delta.get("reasoningContent");
            if (r.path("text").isTextual() && !r.get("text").asText().isEmpty()) {
                out.add(new StreamEvent.ThinkingDelta(open(PartKind.THINKING, block, out), r.get("text").asText()));
            }
            if (r.path("signature").isTextual() && !r.get("signature").asText().isEmpty()) {
                out.add(new StreamEvent.SignatureDelta(open(PartKind.THINKING, block, out), r.get("signature").asText()));
            }
            // redactedContent: the canonical stream has no event for encrypted reasoning; it is left out
        }
    }

    /** The canonical index of Bedrock block {@code block} as a part of {@code kind}, opening it when needed. */
    private int open(PartKind kind, int block, List<StreamEvent> out) {
        if (openIndex >= 0 && openKind == kind && openBlock == block) return openIndex;
        closeOpen(out);
        openIndex = nextIndex++;
        openBlock = block;
        openKind = kind;
        out.add(new StreamEvent.PartStart(openIndex, kind, null, null));
        return openIndex;
    }

    private void closeOpen(List<StreamEvent> out) {
        if (openIndex >= 0) out.add(new StreamEvent.PartStop(openIndex));
        openIndex = -1;
        openBlock = -1;
        openKind = null;
    }

    private void start(List<StreamEvent> out) {
        if (started) return;
        started = true;
        out.add(new StreamEvent.MessageStart(null, null, Usage.ZERO));
    }

    private void fail(List<StreamEvent> out, StreamEvent.StreamError error) {
        closeOpen(out);
        done = true;
        out.add(error);
    }
}
