package io.canaryllm.wire.anthropic;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.Sse;
import io.canaryllm.wire.sse.StreamEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

/**
 * Canonical events → Anthropic Messages SSE (protocols.md 2.5, DESIGN 5.2, STYLE 5.7). Invariants it keeps:
 * {@code message_start} first, carrying input tokens; blocks never interleave, each started and stopped once with
 * indices 0, 1, 2…; text and thinking blocks open only on their first non-empty delta (no empty text block the
 * client would send back, pitfall 15); each tool call is its own {@code tool_use} block; exactly one
 * {@code message_delta} with stop reason and usage, then {@code message_stop}; an error is an {@code event: error}
 * frame and nothing after it.
 *
 * <p>Thinking from another vendor (Gemini, OpenAI-compatible) gets the gateway-private signature of
 * {@link ForeignThinking}: its signature deltas are held back and sent as one {@code signature_delta} just before the
 * block's {@code content_block_stop} (where Anthropic sends its own), so the streamed block carries the same signature
 * as the plain answer's ({@link AnthropicResponses}) — also when the upstream sent none.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {
    private final String clientModel;
    private final long estimatedInputTokens;
    private final Protocol upstream;
    /** Signature deltas of the open (or waiting) thinking block of a foreign upstream. */
    private final StringBuilder foreignSignature = new StringBuilder();

    private boolean started;
    private boolean finished;
    private boolean sawToolUse;
    private int nextBlock;
    /** Client block index of the open block, -1 when none is open. */
    private int openBlock = -1;
    /** Canonical index of the open block (or of the text/thinking part waiting for its first delta). */
    private int openPart = -1;
    private PartKind pendingKind;
    /** Kind of the open block (null when none is open). */
    private PartKind openKind;
    private Usage usage = Usage.ZERO;

    /**
     * @param estimatedInputTokens put in {@code message_start} when the upstream reports input tokens only at the end
     *                             (OpenAI-compatible upstreams, 5.8); the real figure follows in {@code message_delta}
     */
    public AnthropicStreamEncoder(String clientModel, long estimatedInputTokens) {
        this(clientModel, estimatedInputTokens, Protocol.ANTHROPIC);
    }

    /** @param upstream the wire the events come from: anything but Anthropic gets gateway-private signatures */
    public AnthropicStreamEncoder(String clientModel, long estimatedInputTokens, Protocol upstream) {
        this.clientModel = clientModel;
        this.estimatedInputTokens = estimatedInputTokens;
        this.upstream = upstream;
    }

    private boolean foreign() { return upstream != Protocol.ANTHROPIC; }

    @Override
    public boolean finished() { return finished; }

    @Override
    public void encode(StreamEvent event, StringBuilder out) {
        if (finished) return;
        if (!started && !(event instanceof StreamEvent.StreamError)) {
            messageStart(event instanceof StreamEvent.MessageStart s ? s : new StreamEvent.MessageStart(null, null, Usage.ZERO), out);
            if (event instanceof StreamEvent.MessageStart) return;
        }
        switch (event) {
            case StreamEvent.MessageStart s -> { } // a second start from a confused upstream: ignored
            case StreamEvent.PartStart p -> partStart(p, out);
            case StreamEvent.TextDelta d -> {
                if (d.text().isEmpty() || !openLazily(d.index(), PartKind.TEXT, out)) return;
                delta(out, "text_delta", "text", d.text());
            }
            case StreamEvent.ThinkingDelta d -> {
                if (d.text().isEmpty() || !openLazily(d.index(), PartKind.THINKING, out)) return;
                delta(out, "thinking_delta", "thinking", d.text());
            }
            case StreamEvent.SignatureDelta d -> {
                if (foreign()) {
                    // held back until the block closes; a signature alone does not open a block (as in the plain answer)
                    boolean thinking = openBlock >= 0 ? openKind == PartKind.THINKING : pendingKind == PartKind.THINKING;
                    if (d.index() == openPart && thinking) foreignSignature.append(d.signature());
                    return;
                }
                if (d.signature().isEmpty() || !openLazily(d.index(), PartKind.THINKING, out)) return;
                delta(out, "signature_delta", "signature", d.signature());
            }
            case StreamEvent.ToolArgsDelta d -> {
                // the first upstream fragment is often "": nothing to say (5.11)
                if (d.fragment().isEmpty() || d.index() != openPart || openBlock < 0) return;
                delta(out, "input_json_delta", "partial_json", d.fragment());
            }
            case StreamEvent.PartStop p -> {
                if (p.index() == openPart) closeBlock(out);
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop m -> messageStop(m, out);
            case StreamEvent.StreamError e -> {
                finished = true;
                String type = e.kind() != null && AnthropicErrors.TYPE_BY_STATUS.containsValue(e.kind())
                        ? e.kind() : AnthropicErrors.typeFor(e.status());
                out.append(Sse.frame("error", AnthropicErrors.body(type, e.message())));
            }
        }
    }

    private void messageStart(StreamEvent.MessageStart s, StringBuilder out) {
        started = true;
        usage = s.usage();
        ObjectNode data = Json.MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode msg = data.putObject("message");
        msg.put("id", s.id() != null && s.id().startsWith("msg_") ? s.id() : Ids.anthropicMessage());
        msg.put("type", "message").put("role", "assistant").put("model", clientModel);
        msg.putArray("content");
        msg.putNull("stop_reason").putNull("stop_sequence");
        // Claude Code reads its context size from here: an upstream that reports input only at the end gets the
        // estimate now (section 8, "input tokens 0 in message_start")
        Usage shown = usage.input() > 0 ? usage : new Usage(estimatedInputTokens, 0, 0, 0, 0);
        ObjectNode u = UsageCodec.toAnthropic(shown);
        u.put("output_tokens", Math.max(1, shown.output()));
        msg.set("usage", u);
        out.append(Sse.frame("message_start", data));
    }

    private void partStart(StreamEvent.PartStart p, StringBuilder out) {
        closeBlock(out);
        openPart = p.index();
        if (p.kind() != PartKind.TOOL_CALL) {
            pendingKind = p.kind();
            return;
        }
        sawToolUse = true;
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_use")
                .put("id", ToolIds.forAnthropic(p.id())).put("name", p.name());
        block.putObject("input");
        openBlock(block, out);
        openKind = PartKind.TOOL_CALL;
    }

    /** Opens the waiting text/thinking block on its first content; false when the delta belongs to no open part. */
    private boolean openLazily(int part, PartKind kind, StringBuilder out) {
        if (part != openPart) return false;
        if (openBlock >= 0) return true;
        if (pendingKind != kind) return false;
        ObjectNode block = Json.MAPPER.createObjectNode();
        if (kind == PartKind.TEXT) block.put("type", "text").put("text", "");
        else block.put("type", "thinking").put("thinking", "").put("signature", "");
        openBlock(block, out);
        openKind = kind;
        return true;
    }

    private void openBlock(ObjectNode block, StringBuilder out) {
        openBlock = nextBlock++;
        ObjectNode data = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", openBlock);
        data.set("content_block", block);
        out.append(Sse.frame("content_block_start", data));
    }

    private void delta(StringBuilder out, String type, String field, String value) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", openBlock);
        data.putObject("delta").put("type", type).put(field, value);
        out.append(Sse.frame("content_block_delta", data));
    }

    private void closeBlock(StringBuilder out) {
        if (openBlock >= 0 && openKind == PartKind.THINKING && foreign()) {
            delta(out, "signature_delta", "signature", ForeignThinking.forAnthropicClient(upstream, foreignSignature.toString()));
        }
        if (openBlock >= 0) {
            out.append(Sse.frame("content_block_stop",
                    Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", openBlock)));
        }
        openBlock = -1;
        openPart = -1;
        pendingKind = null;
        openKind = null;
        foreignSignature.setLength(0);
    }

    private void messageStop(StreamEvent.MessageStop m, StringBuilder out) {
        closeBlock(out);
        if (m.usage() != null) usage = m.usage();
        StopReason reason = StopReasons.withToolCalls(m.reason(), sawToolUse);
        ObjectNode data = Json.MAPPER.createObjectNode().put("type", "message_delta");
        data.putObject("delta").put("stop_reason", StopReasons.toAnthropic(reason)).putNull("stop_sequence");
        data.set("usage", UsageCodec.toAnthropic(usage));
        out.append(Sse.frame("message_delta", data));
        out.append(Sse.frame("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop")));
        finished = true;
    }
}
