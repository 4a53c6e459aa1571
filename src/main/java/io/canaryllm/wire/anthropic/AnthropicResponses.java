package io.canaryllm.wire.anthropic;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.UsageCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages non-streamed answers (protocols.md 2.4) to and from {@link ChatResponse}. */
public final class AnthropicResponses {
    private AnthropicResponses() {}

    public static ChatResponse toCanonical(JsonNode body) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode b : body.path("content")) {
            switch (b.path("type").asText("")) {
                case "text" -> parts.add(new Part.Text(b.path("text").asText("")));
                case "thinking" -> parts.add(new Part.Thinking(b.path("thinking").asText(""), b.path("signature").asText(null), null));
                case "redacted_thinking" -> parts.add(new Part.RedactedThinking(b.path("data").asText(""), null));
                case "tool_use" -> parts.add(new Part.ToolCall(b.path("id").asText(null), b.path("name").asText(null),
                        Arguments.toText(b.get("input"))));
                default -> { } // server-tool blocks: no meaning for another protocol (2.2)
            }
        }
        boolean sawCall = parts.stream().anyMatch(p -> p instanceof Part.ToolCall);
        StopReason reason = StopReasons.withToolCalls(StopReasons.fromAnthropic(body.path("stop_reason").asText(null)), sawCall);
        return new ChatResponse(body.path("id").asText(null), body.path("model").asText(null), parts, reason,
                UsageCodec.fromAnthropic(body.path("usage"), Usage.ZERO));
    }

    /** An answer from the Anthropic wire itself: thinking signatures go out as they came. */
    public static ObjectNode fromCanonical(ChatResponse response, String clientModel) {
        return fromCanonical(response, clientModel, Protocol.ANTHROPIC);
    }

    /**
     * @param upstream the wire the answer came from: another vendor's thinking gets a gateway-private signature
     *                 ({@link ForeignThinking}), so that it is never replayed to Anthropic as if Anthropic had signed it
     */
    public static ObjectNode fromCanonical(ChatResponse response, String clientModel, Protocol upstream) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        String id = response.id() != null && response.id().startsWith("msg_") ? response.id() : Ids.anthropicMessage();
        out.put("id", id).put("type", "message").put("role", "assistant").put("model", clientModel);
        ArrayNode content = out.putArray("content");
        boolean sawCall = false;
        for (Part p : response.parts()) {
            switch (p) {
                case Part.Text t -> {
                    // pitfall 15: the client replays blocks; an empty one would be a 400 next turn
                    if (!t.text().isEmpty()) content.addObject().put("type", "text").put("text", t.text());
                }
                case Part.Thinking t -> {
                    if (!t.text().isEmpty()) {
                        content.addObject().put("type", "thinking").put("thinking", t.text())
                                .put("signature", ForeignThinking.forAnthropicClient(upstream, t.signature()));
                    }
                }
                case Part.RedactedThinking r -> content.addObject().put("type", "redacted_thinking").put("data", r.data());
                case Part.ToolCall c -> {
                    sawCall = true;
                    ObjectNode b = content.addObject().put("type", "tool_use").put("id", ToolIds.forAnthropic(c.id())).put("name", c.name());
                    b.set("input", Arguments.toObject(c.argumentsJson()));
                }
                default -> { }
            }
        }
        out.put("stop_reason", StopReasons.toAnthropic(StopReasons.withToolCalls(response.stopReason(), sawCall)));
        out.putNull("stop_sequence");
        out.set("usage", UsageCodec.toAnthropic(response.usage()));
        return out;
    }
}
