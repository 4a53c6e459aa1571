package io.canaryllm.wire.anthropic;

import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.ToolIds;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Role;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Canonical turns → Anthropic {@code messages}, enforcing the placement rules that otherwise come back as 400s
 * (protocols.md 2.2, 5.5, pitfalls 3, 15, 16): same-role turns merged (so consecutive tool results form ONE user
 * turn), tool_result blocks first in their user turn, no empty text blocks, no empty turns, no trailing whitespace
 * on a final assistant turn, tool ids valid for Anthropic.
 */
final class AnthropicTurns {
    private AnthropicTurns() {}

    static ArrayNode build(List<Message> messages) {
        List<Role> roles = new ArrayList<>();
        List<List<ObjectNode>> contents = new ArrayList<>();
        for (Message m : messages) {
            List<ObjectNode> blocks = new ArrayList<>();
            for (Part p : m.parts()) {
                ObjectNode b = block(p);
                if (b != null) blocks.add(b);
            }
            if (blocks.isEmpty()) continue;
            int last = roles.size() - 1;
            if (last >= 0 && roles.get(last) == m.role()) {
                contents.get(last).addAll(blocks);
            } else {
                roles.add(m.role());
                contents.add(blocks);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            List<ObjectNode> blocks = contents.get(i);
            if (roles.get(i) == Role.USER) blocks = toolResultsFirst(blocks);
            if (i == roles.size() - 1 && roles.get(i) == Role.ASSISTANT) blocks = withoutTrailingWhitespace(blocks);
            if (blocks.isEmpty()) continue;
            ObjectNode msg = out.addObject().put("role", roles.get(i) == Role.USER ? "user" : "assistant");
            ArrayNode content = msg.putArray("content");
            blocks.forEach(content::add);
        }
        return out;
    }

    /** "Did not find N tool_result block(s) at the beginning of this message" otherwise. */
    private static List<ObjectNode> toolResultsFirst(List<ObjectNode> blocks) {
        List<ObjectNode> sorted = new ArrayList<>();
        for (ObjectNode b : blocks) if ("tool_result".equals(b.path("type").asText())) sorted.add(b);
        for (ObjectNode b : blocks) if (!"tool_result".equals(b.path("type").asText())) sorted.add(b);
        return sorted;
    }

    /** "final assistant content cannot end with trailing whitespace" (pitfall 16). */
    private static List<ObjectNode> withoutTrailingWhitespace(List<ObjectNode> blocks) {
        if (blocks.isEmpty()) return blocks;
        ObjectNode last = blocks.getLast();
        if (!"text".equals(last.path("type").asText())) return blocks;
        String stripped = last.path("text").asText().stripTrailing();
        List<ObjectNode> out = new ArrayList<>(blocks);
        if (stripped.isEmpty()) out.removeLast();
        else last.put("text", stripped);
        return out;
    }

    /** One block, or null for a part Anthropic must not receive. */
    private static ObjectNode block(Part p) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        switch (p) {
            case Part.Text t -> {
                // "messages: text content blocks must be non-empty" (pitfall 15)
                if (t.text() == null || t.text().isEmpty()) return null;
                return AnthropicRequests.textBlock(t.text(), t.cache());
            }
            case Part.Image i -> {
                b.put("type", "image");
                ObjectNode src = b.putObject("source");
                if (i.inline()) src.put("type", "base64").put("media_type", i.mediaType()).put("data", i.data());
                else src.put("type", "url").put("url", i.url());
            }
            case Part.Document d -> {
                b.put("type", "document");
                ObjectNode src = b.putObject("source");
                if (d.data() != null) src.put("type", "base64").put("media_type", d.mediaType()).put("data", d.data());
                else src.put("type", "url").put("url", d.url());
            }
            case Part.ToolCall c -> {
                b.put("type", "tool_use").put("id", ToolIds.forAnthropic(c.id())).put("name", c.name());
                b.set("input", Arguments.toObject(c.argumentsJson()));
            }
            case Part.ToolResult r -> {
                b.put("type", "tool_result").put("tool_use_id", ToolIds.forAnthropic(r.callId()));
                ArrayNode content = Json.MAPPER.createArrayNode();
                for (Part inner : r.parts()) {
                    ObjectNode ib = block(inner);
                    if (ib != null && !(inner instanceof Part.ToolResult)) content.add(ib);
                }
                if (!content.isEmpty()) b.set("content", content);
                if (r.isError()) b.put("is_error", true);
            }
            case Part.Thinking t -> {
                // an unsigned block (reasoning text from another vendor) is rejected: 5.9, signatures are vendor-bound;
                // so is one marked as another vendor's thought; a known Anthropic one goes bare (ForeignThinking)
                String signature = ForeignThinking.anthropicSignature(t.signature());
                if (signature == null) return null;
                b.put("type", "thinking").put("thinking", t.text()).put("signature", signature);
            }
            case Part.RedactedThinking r -> b.put("type", "redacted_thinking").put("data", r.data());
        }
        AnthropicRequests.addCache(b, p.cache());
        return b;
    }
}
