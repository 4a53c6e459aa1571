package io.canaryllm.wire.openai.chat;

import io.canaryllm.wire.mapping.Ids;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI Chat chunks (protocols.md 1.4) → canonical events. One per stream.
 *
 * <p>Tool calls are merged by {@code index}, not id. Canonical parts must not interleave, but some compat servers
 * interleave fragments of parallel calls (5.11 step 3). So the first call streams live; a call that starts while
 * another is live waits one fragment: if its next fragment follows, the calls are sequential (OpenAI's order) and it
 * goes live; if the live call continues instead, the calls interleave, and every call other than the live one is
 * buffered and emitted whole when the answer finishes.
 */
public final class OpenAiChatStreamDecoder implements StreamDecoder {

    private static final class Call {
        final String id;
        final String name;
        final StringBuilder args = new StringBuilder();
        boolean closed;

        Call(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final Map<Integer, Call> calls = new LinkedHashMap<>();
    private final List<Call> buffered = new ArrayList<>();
    private Call live;
    private Call pending;
    private boolean interleaved;

    private boolean started;
    private boolean done;
    private int nextIndex;
    private int openIndex = -1;
    private PartKind openKind;
    private String finishReason;
    private Usage usage = Usage.ZERO;

    @Override
    public List<StreamEvent> onEvent(SseEvent event) {
        List<StreamEvent> out = new ArrayList<>();
        if (done) return out;
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            finish(out);
            return out;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            return out; // not JSON (a stray line from a proxy): nothing to translate
        }
        if (chunk.has("error") || "error".equals(event.event())) {
            JsonNode err = chunk.path("error");
            done = true;
            out.add(new StreamEvent.StreamError(502, err.path("type").asText(null), err.path("message").asText("Upstream error")));
            return out;
        }
        if (!started) {
            started = true;
            out.add(new StreamEvent.MessageStart(chunk.path("id").asText(null), chunk.path("model").asText(null), Usage.ZERO));
        }
        if (chunk.hasNonNull("usage")) {
            usage = UsageCodec.fromOpenAi(chunk.get("usage"));
            out.add(new StreamEvent.UsageUpdate(usage));
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) continue; // n>1 is rejected upstream of here
            JsonNode delta = choice.path("delta");
            // 1.5: DeepSeek-style reasoning_content, Ollama/OpenRouter-style reasoning
            String reasoning = delta.hasNonNull("reasoning_content") ? delta.get("reasoning_content").asText()
                    : delta.path("reasoning").isTextual() ? delta.get("reasoning").asText() : null;
            if (reasoning != null && !reasoning.isEmpty()) {
                ensureOpen(PartKind.THINKING, out);
                out.add(new StreamEvent.ThinkingDelta(openIndex, reasoning));
            }
            String content = delta.path("content").isTextual() ? delta.get("content").asText() : null;
            if (content != null && !content.isEmpty()) {
                ensureOpen(PartKind.TEXT, out);
                out.add(new StreamEvent.TextDelta(openIndex, content));
            }
            for (JsonNode fragment : delta.path("tool_calls")) onToolFragment(fragment, out);
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
                closeParts(out);
            }
        }
        return out;
    }

    @Override
    public List<StreamEvent> onEnd() {
        List<StreamEvent> out = new ArrayList<>();
        if (done) return out;
        if (finishReason != null) {
            // the answer is complete; only [DONE] (and maybe the usage chunk) went missing: still a normal finish
            finish(out);
            return out;
        }
        done = true;
        out.add(StreamDecoder.endedEarly());
        return out;
    }

    private void finish(List<StreamEvent> out) {
        closeParts(out);
        done = true;
        StopReason reason = StopReasons.withToolCalls(StopReasons.fromOpenAi(finishReason), !calls.isEmpty());
        out.add(new StreamEvent.MessageStop(reason, usage));
    }

    private void ensureOpen(PartKind kind, List<StreamEvent> out) {
        if (openKind == kind && openIndex >= 0) return;
        closeOpen(out);
        if (pending != null) {
            buffered.add(pending);
            pending = null;
        }
        openIndex = nextIndex++;
        openKind = kind;
        out.add(new StreamEvent.PartStart(openIndex, kind, null, null));
    }

    private void closeOpen(List<StreamEvent> out) {
        if (openIndex < 0) return;
        out.add(new StreamEvent.PartStop(openIndex));
        openIndex = -1;
        openKind = null;
        if (live != null) {
            live.closed = true;
            live = null;
        }
    }

    /** At finish: the open part, then every waiting call whole, in the order the calls started. */
    private void closeParts(List<StreamEvent> out) {
        closeOpen(out);
        if (pending != null) buffered.add(pending);
        pending = null;
        for (Call c : buffered) {
            goLive(c, out);
            closeOpen(out);
        }
        buffered.clear();
    }

    private void goLive(Call c, List<StreamEvent> out) {
        closeOpen(out);
        live = c;
        openIndex = nextIndex++;
        openKind = PartKind.TOOL_CALL;
        out.add(new StreamEvent.PartStart(openIndex, PartKind.TOOL_CALL, c.id, c.name));
        if (!c.args.isEmpty()) out.add(new StreamEvent.ToolArgsDelta(openIndex, c.args.toString()));
        c.args.setLength(0);
    }

    private void onToolFragment(JsonNode f, List<StreamEvent> out) {
        int index = f.has("index") ? f.get("index").asInt() : (live != null && !f.has("id") ? indexOf(live) : calls.size());
        String piece = f.path("function").path("arguments").asText("");
        Call call = calls.get(index);
        if (call == null) {
            String id = f.path("id").asText(null);
            call = new Call(id == null || id.isEmpty() ? Ids.chatToolCall() : id, f.path("function").path("name").asText(""));
            calls.put(index, call);
            call.args.append(piece);
            if (live == null || openKind != PartKind.TOOL_CALL) {
                if (pending != null) buffered.add(pending);
                pending = null;
                goLive(call, out);
            } else if (interleaved) {
                buffered.add(call);
            } else {
                if (pending != null) goLive(pending, out); // the waiting call had its only fragment: sequential
                pending = call;
            }
            return;
        }
        if (call == live) {
            if (pending != null) { // the live call continued after another started: fragments interleave
                interleaved = true;
                buffered.add(pending);
                pending = null;
            }
            if (!piece.isEmpty()) out.add(new StreamEvent.ToolArgsDelta(openIndex, piece));
        } else if (call == pending && !interleaved) {
            pending = null;
            goLive(call, out);
            if (!piece.isEmpty()) out.add(new StreamEvent.ToolArgsDelta(openIndex, piece));
        } else if (!call.closed) {
            call.args.append(piece);
        }
        // a fragment for a call already closed cannot be placed in a non-interleaving stream; such servers do not
        // exist so far (they would have to resume a call after a later one was confirmed sequential)
    }

    private int indexOf(Call c) {
        for (Map.Entry<Integer, Call> e : calls.entrySet()) if (e.getValue() == c) return e.getKey();
        return calls.size();
    }
}
