package io.canaryllm.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Role;
import io.canaryllm.canonical.Tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's beta {@code role: "system"} messages inside {@code messages} (anthropic-java
 * {@code BetaSystemMessageParam}; Claude Code 2.1.19x sends them for non-Claude models), read for a translated call.
 * Each one may carry:
 * <ul>
 *   <li>text blocks: an instruction that applies from its place in the conversation, a {@link Role#SYSTEM} turn there
 *       (never a user turn: the model would read an agent list as the user's last words);</li>
 *   <li>{@code clear_at}: {@code "never"} (the default) or {@code "next_user_message"}, which shows the text only to the
 *       user turn it precedes: once a later {@code role: "user"} message exists, the text is no longer sent;</li>
 *   <li>{@code tool_addition} / {@code tool_removal} blocks: a tool (a {@code tool_reference} by name to one declared in
 *       {@code tools} or defined earlier, or an inline {@code tool_definition}) is offered, or withdrawn, from that point
 *       on. A translated request carries one tool list, so the upstream gets the list in force after the last message.
 *       These apply whatever {@code clear_at} says: it clears text, not tools. MCP references have no equivalent
 *       outside Anthropic and are ignored, as MCP toolsets are;</li>
 *   <li>{@code output_config.effort}: the effort for the turns it applies to; the last one still in force overrides
 *       the top-level {@code output_config.effort}.</li>
 * </ul>
 * One instance per request.
 */
final class AnthropicSystemMessages {
    /** Tools declared in {@code tools} or defined inline so far, by name: what a reference can add. */
    private final Map<String, Tool> known = new LinkedHashMap<>();
    /** The tools offered at this point of the conversation, in declaration order. */
    private final Map<String, Tool> offered = new LinkedHashMap<>();
    private final int lastUserMessage;
    private String effort;

    /** @param declared the request's custom tools; {@code messages} the request's messages (to find the last user turn) */
    AnthropicSystemMessages(List<Tool> declared, JsonNode messages) {
        for (Tool t : declared) {
            known.put(t.name(), t);
            offered.put(t.name(), t);
        }
        int last = -1;
        for (int i = 0; i < messages.size(); i++) if ("user".equals(messages.get(i).path("role").asText())) last = i;
        lastUserMessage = last;
    }

    static boolean isSystem(JsonNode message) { return "system".equals(message.path("role").asText()); }

    /** The turn the system message at {@code index} becomes, or null when it has no text in force. */
    Message read(JsonNode message, int index) {
        boolean cleared = "next_user_message".equals(message.path("clear_at").asText()) && index < lastUserMessage;
        JsonNode content = message.path("content");
        List<Part> text = new ArrayList<>();
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) text.add(new Part.Text(content.asText()));
        } else {
            for (JsonNode b : content) {
                switch (b.path("type").asText("")) {
                    case "text" -> text.add(new Part.Text(b.path("text").asText(""), AnthropicRequests.cache(b)));
                    case "tool_addition" -> add(b.path("tool"));
                    case "tool_removal" -> remove(b.path("tool"));
                    default -> { } // future block types: nothing another vendor can use
                }
            }
        }
        JsonNode e = message.path("output_config").path("effort");
        if (!cleared && e.isTextual()) effort = e.asText();
        return cleared || text.isEmpty() ? null : new Message(Role.SYSTEM, text);
    }

    /** The tools in force after the last message. */
    List<Tool> tools() { return List.copyOf(offered.values()); }

    /** The effort of the last system message still in force, or null when none set one. */
    String effort() { return effort; }

    private void add(JsonNode ref) {
        switch (ref.path("type").asText("")) {
            case "tool_reference" -> {
                Tool t = known.get(ref.path("name").asText());
                if (t != null) offered.putIfAbsent(t.name(), t);
            }
            case "tool_definition" -> {
                Tool t = AnthropicRequests.customTool(ref.path("definition"));
                if (t != null && t.name() != null) {
                    known.put(t.name(), t);
                    offered.put(t.name(), t);
                }
            }
            default -> { } // mcp_tool_reference, mcp_toolset_reference: MCP runs inside Anthropic only
        }
    }

    private void remove(JsonNode ref) {
        if ("tool_reference".equals(ref.path("type").asText())) offered.remove(ref.path("name").asText());
    }
}
