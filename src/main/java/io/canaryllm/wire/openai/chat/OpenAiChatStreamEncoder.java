package io.canaryllm.wire.openai.chat;

import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.UsageCodec;
import io.canaryllm.wire.sse.Sse;
import io.canaryllm.wire.sse.StreamEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.StreamEvent;
import io.canaryllm.canonical.StreamEvent.PartKind;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Canonical events → OpenAI Chat chunks (protocols.md 1.4, 5.11 "Anth upstream → Chat client"). Role chunk first;
 * each tool call gets {@code index} = number of calls before it (not the part index, pitfall 2), with id and name on
 * its first fragment only; one finish chunk; the usage chunk only when the client asked for it (5.2); then
 * {@code data: [DONE]}. An error is a {@code data: {"error":…}} line and no [DONE] (6.5).
 */
public final class OpenAiChatStreamEncoder implements StreamEncoder {
    private final String clientModel;
    private final boolean includeUsage;
    private final String id = Ids.chatCompletion();
    private final long created = Instant.now().getEpochSecond();
    private final Map<Integer, Integer> toolIndexByPart = new HashMap<>();

    private boolean started;
    private boolean finished;
    private Usage usage = Usage.ZERO;

    public OpenAiChatStreamEncoder(String clientModel, boolean includeUsage) {
        this.clientModel = clientModel;
        this.includeUsage = includeUsage;
    }

    @Override
    public boolean finished() { return finished; }

    @Override
    public void encode(StreamEvent event, StringBuilder out) {
        if (finished) return;
        if (!started && !(event instanceof StreamEvent.StreamError)) {
            started = true;
            ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
            out.append(Sse.dataFrame(chunk(delta, null)));
        }
        switch (event) {
            case StreamEvent.MessageStart s -> usage = s.usage();
            case StreamEvent.TextDelta d -> {
                if (!d.text().isEmpty()) out.append(Sse.dataFrame(chunk(Json.MAPPER.createObjectNode().put("content", d.text()), null)));
            }
            case StreamEvent.ThinkingDelta d -> {
                // 5.9: no standard field; reasoning_content is the DeepSeek/LiteLLM convention, never merged into content
                if (!d.text().isEmpty()) {
                    out.append(Sse.dataFrame(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", d.text()), null)));
                }
            }
            case StreamEvent.PartStart p -> {
                if (p.kind() != PartKind.TOOL_CALL) return;
                int k = toolIndexByPart.size();
                toolIndexByPart.put(p.index(), k);
                ObjectNode call = toolCall(k).put("id", ToolIds.forOpenAi(p.id())).put("type", "function");
                call.putObject("function").put("name", p.name()).put("arguments", "");
                out.append(Sse.dataFrame(chunk(toolDelta(call), null)));
            }
            case StreamEvent.ToolArgsDelta d -> {
                Integer k = toolIndexByPart.get(d.index());
                if (k == null || d.fragment().isEmpty()) return;
                ObjectNode call = toolCall(k);
                call.putObject("function").put("arguments", d.fragment());
                out.append(Sse.dataFrame(chunk(toolDelta(call), null)));
            }
            case StreamEvent.UsageUpdate u -> usage = u.usage();
            case StreamEvent.MessageStop m -> {
                if (m.usage() != null) usage = m.usage();
                String reason = StopReasons.toOpenAi(StopReasons.withToolCalls(m.reason(), !toolIndexByPart.isEmpty()));
                out.append(Sse.dataFrame(chunk(Json.MAPPER.createObjectNode(), reason)));
                if (includeUsage) {
                    ObjectNode last = base();
                    last.putArray("choices");
                    last.set("usage", UsageCodec.toOpenAi(usage));
                    out.append(Sse.dataFrame(last));
                }
                out.append("data: [DONE]\n\n");
                finished = true;
            }
            case StreamEvent.StreamError e -> {
                finished = true;
                out.append(Sse.dataFrame(OpenAiErrors.body(e.status(), e.kind(), e.message())));
            }
            default -> { } // signatures and part stops have no Chat form
        }
    }

    private static ObjectNode toolCall(int k) {
        return Json.MAPPER.createObjectNode().put("index", k);
    }

    private static ObjectNode toolDelta(ObjectNode call) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    private ObjectNode base() {
        return Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", clientModel);
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode c = base();
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        return c;
    }
}
