package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.UpstreamAnswerException;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.StreamDecoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gemini {@code streamGenerateContent?alt=sse} chunks (protocols.md 4.4) → canonical events. One per stream.
 *
 * <p>Each chunk is a whole {@code GenerateContentResponse}: text parts carry only the new text (consecutive ones
 * extend one canonical text part), {@code thought: true} parts become a thinking part (their signature a
 * {@link StreamEvent.SignatureDelta}), and each {@code functionCall} arrives whole, so it becomes a tool-call part
 * opened, given its whole arguments JSON in one {@link StreamEvent.ToolArgsDelta}, and closed at once (5.11);
 * parallel calls each get their own index and id (pitfall 7). {@code usageMetadata} is cumulative: each one
 * replaces the last (pitfall 40). The chunk with {@code finishReason} ends the message; an error object ends it with
 * a {@link StreamEvent.StreamError}, and so does a stream that closes without a finishReason (4.4).
 */
public final class GeminiStreamDecoder implements StreamDecoder {

    /** google.rpc status → HTTP-like status for an error that arrives inside the stream (6.3). */
    static final Map<String, Integer> STATUS_BY_GOOGLE_STATUS = Map.of(
            "INVALID_ARGUMENT", 400,
            "FAILED_PRECONDITION", 400,
            "UNAUTHENTICATED", 401,
            "PERMISSION_DENIED", 403,
            "NOT_FOUND", 404,
            "RESOURCE_EXHAUSTED", 429,
            "INTERNAL", 500,
            "UNAVAILABLE", 503,
            "DEADLINE_EXCEEDED", 504);

    private boolean started;
    private boolean done;
    private boolean sawCall;
    private int nextIndex;
    private int openIndex = -1;
    private PartKind openKind;
    /** The open thinking part already got a signature. */
    private boolean openSigned;
    private Usage usage = Usage.ZERO;

    @Override
    public List<StreamEvent> onEvent(SseEvent event) {
        List<StreamEvent> out = new ArrayList<>();
        if (done) return out;
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(event.data().strip());
        } catch (JsonProcessingException e) {
            return out; // not JSON (a stray line from a proxy): nothing to translate
        }
        if (chunk == null || !chunk.isObject()) return out;
        if (chunk.has("error")) {
            error(chunk.get("error"), out);
            return out;
        }
        if (chunk.has("usageMetadata")) usage = UsageCodec.fromGemini(chunk.get("usageMetadata"));
        if (!started) {
            started = true;
            out.add(new StreamEvent.MessageStart(chunk.path("responseId").asText(null), chunk.path("modelVersion").asText(null), usage));
        } else if (chunk.has("usageMetadata")) {
            out.add(new StreamEvent.UsageUpdate(usage));
        }
        JsonNode candidate = chunk.path("candidates").path(0);
        for (JsonNode p : candidate.path("content").path("parts")) part(p, out);

        if (candidate.hasNonNull("finishReason")) {
            String finish = candidate.get("finishReason").asText();
            StopReason reason = StopReasons.fromGemini(finish, sawCall);
            closeOpen(out);
            done = true;
            if (reason == StopReason.ERROR) {
                // 5.7: a malformed call must not look like an empty success
                UpstreamAnswerException e = GeminiResponses.brokenTurn(finish, candidate.path("finishMessage").asText(null));
                out.add(new StreamEvent.StreamError(e.status(), finish, e.getMessage()));
            } else {
                out.add(new StreamEvent.MessageStop(reason, usage));
            }
        } else if (candidate.isMissingNode() && chunk.path("promptFeedback").has("blockReason")) {
            closeOpen(out);
            done = true;
            out.add(new StreamEvent.MessageStop(StopReason.CONTENT_FILTER, usage)); // pitfall 39
        }
        return out;
    }

    @Override
    public List<StreamEvent> onEnd() {
        if (done) return List.of();
        done = true;
        return List.of(StreamDecoder.endedEarly());
    }

    private void part(JsonNode p, List<StreamEvent> out) {
        if (p.has("functionCall")) {
            closeOpen(out);
            sawCall = true;
            Part.ToolCall call = GeminiResponses.toolCall(p);
            int index = nextIndex++;
            out.add(new StreamEvent.PartStart(index, PartKind.TOOL_CALL, call.id(), call.name()));
            out.add(new StreamEvent.ToolArgsDelta(index, call.argumentsJson()));
            out.add(new StreamEvent.PartStop(index));
            return;
        }
        if (!p.path("text").isTextual()) return; // executable code, inline output …: no canonical meaning
        String text = p.get("text").asText();
        if (p.path("thought").asBoolean(false)) {
            String signature = p.path("thoughtSignature").asText("");
            // a second signed thought is a thinking part of its own, as in the plain answer: one signature per part
            if (!signature.isEmpty() && openKind == PartKind.THINKING && openSigned) closeOpen(out);
            int index = open(PartKind.THINKING, out);
            if (!text.isEmpty()) out.add(new StreamEvent.ThinkingDelta(index, text));
            if (!signature.isEmpty()) {
                out.add(new StreamEvent.SignatureDelta(index, signature));
                openSigned = true;
            }
        } else if (!text.isEmpty()) {
            out.add(new StreamEvent.TextDelta(open(PartKind.TEXT, out), text));
        }
    }

    /** The index of the open part of this kind, opening a new one (and closing another kind's) when needed. */
    private int open(PartKind kind, List<StreamEvent> out) {
        if (openIndex >= 0 && openKind == kind) return openIndex;
        closeOpen(out);
        openIndex = nextIndex++;
        openKind = kind;
        out.add(new StreamEvent.PartStart(openIndex, kind, null, null));
        return openIndex;
    }

    private void closeOpen(List<StreamEvent> out) {
        if (openIndex >= 0) out.add(new StreamEvent.PartStop(openIndex));
        openIndex = -1;
        openKind = null;
        openSigned = false;
    }

    private void error(JsonNode err, List<StreamEvent> out) {
        closeOpen(out);
        done = true;
        String status = err.path("status").asText(null);
        int code = err.path("code").asInt(0);
        int http = status != null && STATUS_BY_GOOGLE_STATUS.containsKey(status) ? STATUS_BY_GOOGLE_STATUS.get(status)
                : code >= 400 && code < 600 ? code : 502;
        out.add(new StreamEvent.StreamError(http, status, err.path("message").asText("Upstream error")));
    }
}
