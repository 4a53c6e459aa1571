package io.canaryllm.wire.openai.responses;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.sse.Sse;
import io.canaryllm.wire.sse.StreamEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical events → OpenAI Responses SSE (protocols.md 3.4, 5.11 "Any upstream → Resp client", DESIGN 5.2).
 * Invariants it keeps:
 * <ul>
 * <li>{@code response.created} (sequence 0) and {@code response.in_progress} (1) first; every event carries
 *     {@code sequence_number}, +1 each; {@code event:} lines equal the JSON {@code type}.</li>
 * <li>Each item: {@code response.output_item.added} with the next {@code output_index} … its own events with the same
 *     {@code item_id} and {@code output_index} … {@code response.output_item.done} (Codex reads only those), before
 *     the next item is added. Items never interleave.</li>
 * <li>Text: one {@code message} item per run of text (adjacent text parts continue it), one {@code output_text}
 *     part at {@code content_index} 0, opened on the first non-empty delta (no empty message items); {@code *.done}
 *     events carry the whole text.</li>
 * <li>Thinking: a {@code reasoning} item with summary events; its signature (if any) goes into
 *     {@code encrypted_content} on {@code output_item.done} ({@link ResponsesReasoning}).</li>
 * <li>Tool calls: {@code function_call} items with {@code function_call_arguments.delta}/{@code .done} (empty
 *     arguments become {@code "{}"}, sent as a delta too so the deltas always add up), names and namespaces restored;
 *     tools the client declared {@code custom} become {@code custom_tool_call} items whose input is sent whole at the
 *     end of the call ({@code custom_tool_call_input.delta}/{@code .done}) — the JSON wrapper cannot be unwrapped
 *     before it is complete.</li>
 * <li>Exactly one terminal event with the whole response (all items, usage): {@code response.completed},
 *     {@code response.incomplete} (reason {@code max_output_tokens}/{@code content_filter}), or, on a
 *     {@link StreamEvent.StreamError}, an {@code error} event then {@code response.failed} (6.5); items still open are
 *     closed with status {@code incomplete} first. Never {@code [DONE]} (pitfall 32).</li>
 * </ul>
 * One instance per stream; not thread-safe.
 */
public final class ResponsesStreamEncoder implements StreamEncoder {

    private enum Open { NONE, MESSAGE, REASONING, CALL }

    private final String clientModel;
    private final ResponsesRequests.Decoded decoded;
    private final Protocol upstream;
    private final String responseId = ResponsesIds.response();
    private final long createdAt = Instant.now().getEpochSecond();
    private final List<ObjectNode> output = new ArrayList<>();

    private int sequence;
    private boolean started;
    private boolean finished;
    private boolean sawCall;
    private Usage usage = Usage.ZERO;
    private ObjectNode finalResponse;

    private Open open = Open.NONE;
    /** Canonical part index of the open reasoning item or call; -1 for a message (it spans text parts). */
    private int openPart = -1;
    private int openIndex = -1;
    private String openId;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder signature = new StringBuilder();
    private boolean summaryOpen;
    private String callId;
    private String callName;
    private boolean custom;

    /** @param decoded the client's request, for custom and namespaced tool names and the echoed parameters */
    public ResponsesStreamEncoder(String clientModel, ResponsesRequests.Decoded decoded) {
        this(clientModel, decoded, Protocol.ANTHROPIC);
    }

    /** @param upstream the wire the events come from: the vendor recorded with thinking signatures ({@link ResponsesReasoning}) */
    public ResponsesStreamEncoder(String clientModel, ResponsesRequests.Decoded decoded, Protocol upstream) {
        this.clientModel = clientModel;
        this.decoded = decoded;
        this.upstream = upstream;
    }

    @Override
    public boolean finished() { return finished; }

    /** The id every event's response carries ({@code resp_…}). */
    public String responseId() { return responseId; }

    /** The response object of the terminal event (for the response store), or null before it was sent. */
    public ObjectNode finalResponse() { return finalResponse; }

    @Override
    public void encode(StreamEvent event, StringBuilder out) {
        if (finished) return;
        if (!started) start(out);
        switch (event) {
            case StreamEvent.MessageStart s -> { if (s.usage() != null) usage = s.usage(); }
            case StreamEvent.PartStart p -> {
                // a text part continues an open message; anything else ends it (items never interleave)
                if (p.kind() != PartKind.TEXT || open != Open.MESSAGE) close("completed", out);
                if (p.kind() == PartKind.TOOL_CALL) openCall(p, out);
            }
            case StreamEvent.TextDelta d -> {
                if (d.text().isEmpty()) return;
                if (open != Open.MESSAGE) {
                    close("completed", out);
                    openMessage(out);
                }
                text.append(d.text());
                emit(out, itemEvent("response.output_text.delta").put("content_index", 0).put("delta", d.text())
                        .set("logprobs", Json.MAPPER.createArrayNode()));
            }
            case StreamEvent.ThinkingDelta d -> {
                if (d.text().isEmpty()) return;
                reasoningFor(d.index(), out);
                if (!summaryOpen) {
                    summaryOpen = true;
                    emit(out, itemEvent("response.reasoning_summary_part.added").put("summary_index", 0)
                            .set("part", ResponsesResponses.summaryPart("")));
                }
                text.append(d.text());
                emit(out, itemEvent("response.reasoning_summary_text.delta").put("summary_index", 0).put("delta", d.text()));
            }
            case StreamEvent.SignatureDelta d -> {
                if (d.signature().isEmpty()) return;
                reasoningFor(d.index(), out);
                signature.append(d.signature());
            }
            case StreamEvent.ToolArgsDelta d -> {
                if (open != Open.CALL || d.index() != openPart || d.fragment().isEmpty()) return;
                text.append(d.fragment());
                if (!custom) emit(out, itemEvent("response.function_call_arguments.delta").put("delta", d.fragment()));
            }
            case StreamEvent.PartStop p -> {
                // a message stays open: the next text part may continue it
                if (open != Open.MESSAGE && p.index() == openPart) close("completed", out);
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop m -> {
                close("completed", out);
                if (m.usage() != null) usage = m.usage();
                terminal(StopReasons.withToolCalls(m.reason(), sawCall), null, out);
            }
            case StreamEvent.StreamError e -> {
                close("incomplete", out);
                String code = e.status() == 429 ? "rate_limit_exceeded" : "server_error";
                String message = e.message() == null || e.message().isEmpty() ? "The upstream failed." : e.message();
                ObjectNode error = event("error");
                error.put("code", code).put("message", message).putNull("param");
                emit(out, error);
                terminal(StopReason.ERROR, ResponsesResponses.error(code, message), out);
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void start(StringBuilder out) {
        started = true;
        ObjectNode snapshot = ResponsesResponses.skeleton(responseId, createdAt, clientModel, decoded);
        emit(out, event("response.created").set("response", snapshot));
        emit(out, event("response.in_progress").set("response", snapshot.deepCopy()));
    }

    private void terminal(StopReason reason, ObjectNode error, StringBuilder out) {
        ObjectNode response = ResponsesResponses.skeleton(responseId, createdAt, clientModel, decoded);
        output.forEach(response.withArray("output")::add);
        String type = ResponsesResponses.finish(response, reason, error, usage);
        finalResponse = response;
        emit(out, event(type).set("response", response));
        finished = true;
    }

    private void openMessage(StringBuilder out) {
        ObjectNode item = ResponsesResponses.messageItem(ResponsesIds.message(), "in_progress", null);
        add(Open.MESSAGE, -1, item, out);
        emit(out, itemEvent("response.content_part.added").put("content_index", 0).set("part", ResponsesResponses.textPart("")));
    }

    /** Opens the reasoning item of canonical part {@code index} unless it is the open one. */
    private void reasoningFor(int index, StringBuilder out) {
        if (open == Open.REASONING && openPart == index) return;
        close("completed", out);
        add(Open.REASONING, index, ResponsesResponses.reasoningItem(ResponsesIds.reasoning(), null, null), out);
    }

    private void openCall(StreamEvent.PartStart p, StringBuilder out) {
        sawCall = true;
        callId = p.id() == null || p.id().isEmpty() ? Ids.chatToolCall() : p.id();
        callName = p.name();
        custom = decoded != null && decoded.isCustom(callName);
        ObjectNode item = ResponsesResponses.callItem(callId, callName, "", "in_progress", decoded);
        if (!custom) item.put("arguments", ""); // added carries empty arguments (3.4)
        add(Open.CALL, p.index(), item, out);
    }

    private void add(Open kind, int part, ObjectNode item, StringBuilder out) {
        open = kind;
        openPart = part;
        openIndex = output.size();
        openId = item.path("id").asText();
        text.setLength(0);
        signature.setLength(0);
        summaryOpen = false;
        output.add(item);
        emit(out, event("response.output_item.added").put("output_index", openIndex).set("item", item.deepCopy()));
    }

    /** Ends the open item: its closing events, then {@code output_item.done} with the whole item. */
    private void close(String status, StringBuilder out) {
        ObjectNode done;
        switch (open) {
            case NONE -> { return; }
            case MESSAGE -> {
                String all = text.toString();
                emit(out, itemEvent("response.output_text.done").put("content_index", 0).put("text", all)
                        .set("logprobs", Json.MAPPER.createArrayNode()));
                emit(out, itemEvent("response.content_part.done").put("content_index", 0).set("part", ResponsesResponses.textPart(all)));
                done = ResponsesResponses.messageItem(openId, status, all);
            }
            case REASONING -> {
                String all = text.toString();
                if (summaryOpen) {
                    emit(out, itemEvent("response.reasoning_summary_text.done").put("summary_index", 0).put("text", all));
                    emit(out, itemEvent("response.reasoning_summary_part.done").put("summary_index", 0)
                            .set("part", ResponsesResponses.summaryPart(all)));
                }
                String encrypted = signature.isEmpty() ? null
                        : ResponsesReasoning.encode(new io.canaryllm.canonical.Part.Thinking(all, signature.toString(), null), upstream);
                done = ResponsesResponses.reasoningItem(openId, all, encrypted);
            }
            case CALL -> {
                done = ResponsesResponses.callItem(callId, callName, text.toString(), status, decoded).put("id", openId);
                if (custom) {
                    String input = done.path("input").asText();
                    if (!input.isEmpty()) emit(out, itemEvent("response.custom_tool_call_input.delta").put("delta", input));
                    emit(out, itemEvent("response.custom_tool_call_input.done").put("input", input));
                } else {
                    String arguments = done.path("arguments").asText();
                    // "" upstream became "{}": sent as a delta too, so the deltas add up to the done arguments
                    if (text.isEmpty()) emit(out, itemEvent("response.function_call_arguments.delta").put("delta", arguments));
                    emit(out, itemEvent("response.function_call_arguments.done").put("name", done.path("name").asText())
                            .put("arguments", arguments));
                }
            }
            default -> throw new IllegalStateException();
        }
        output.set(openIndex, done);
        emit(out, event("response.output_item.done").put("output_index", openIndex).set("item", done.deepCopy()));
        open = Open.NONE;
        openPart = -1;
    }

    // ---------------------------------------------------------------- frames

    /** A new event: {@code type} and {@code sequence_number} first. */
    private ObjectNode event(String type) {
        return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
    }

    /** An event about the open item: {@code item_id} and {@code output_index} agree with its added/done events. */
    private ObjectNode itemEvent(String type) {
        return event(type).put("item_id", openId).put("output_index", openIndex);
    }

    private static void emit(StringBuilder out, ObjectNode event) {
        out.append(Sse.frame(event.path("type").asText(), event));
    }
}
