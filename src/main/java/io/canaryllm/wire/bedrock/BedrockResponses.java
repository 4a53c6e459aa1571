package io.canaryllm.wire.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.UsageCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Bedrock Converse answer → {@link ChatResponse}: {@code output.message.content} blocks ({@code text},
 * {@code toolUse}, {@code reasoningContent} with its signature or redacted bytes), {@code stopReason} through the
 * mapping table ({@link StopReasons#fromBedrock}) and {@code usage} ({@link UsageCodec#fromBedrock}). Converse names
 * no answer id: the client's encoder makes one.
 */
public final class BedrockResponses {
    private BedrockResponses() {}

    public static ChatResponse toCanonical(JsonNode body) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode b : body.path("output").path("message").path("content")) {
            Part p = part(b);
            if (p != null) parts.add(p);
        }
        boolean sawCall = parts.stream().anyMatch(p -> p instanceof Part.ToolCall);
        return new ChatResponse(null, null, parts, StopReasons.fromBedrock(body.path("stopReason").asText(null), sawCall),
                UsageCodec.fromBedrock(body.path("usage")));
    }

    /** One content block, or null when it has no canonical meaning (empty text, a guardrail trace …). */
    static Part part(JsonNode b) {
        if (b.path("text").isTextual()) {
            String text = b.get("text").asText();
            return text.isEmpty() ? null : new Part.Text(text);
        }
        if (b.has("toolUse")) {
            JsonNode use = b.get("toolUse");
            String id = use.path("toolUseId").asText("");
            return new Part.ToolCall(id.isEmpty() ? Ids.chatToolCall() : id, use.path("name").asText(null),
                    Arguments.toText(use.get("input")));
        }
        if (b.has("reasoningContent")) {
            JsonNode r = b.get("reasoningContent");
            if (r.has("reasoningText")) {
                JsonNode t = r.get("reasoningText");
                return new Part.Thinking(t.path("text").asText(""), t.path("signature").asText(null), null);
            }
            if (r.path("redactedContent").isTextual()) return new Part.RedactedThinking(r.get("redactedContent").asText(), null);
        }
        return null;
    }
}
