package io.canaryllm.wire.mapping;

import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Tool;

/**
 * A rough prompt size (about four characters a token) for the places that need a figure before the upstream
 * gives one: Anthropic's {@code message_start} from an OpenAI-compatible upstream. Never billed: accounting uses
 * the upstream's real count.
 */
public final class TokenEstimate {
    private TokenEstimate() {}

    public static long of(ChatRequest req) {
        long chars = 0;
        for (Part p : req.system()) chars += chars(p);
        for (Message m : req.messages()) for (Part p : m.parts()) chars += chars(p);
        for (Tool t : req.tools()) {
            chars += t.name() == null ? 0 : t.name().length();
            chars += t.description() == null ? 0 : t.description().length();
            chars += t.inputSchema() == null ? 0 : t.inputSchema().toString().length();
        }
        return Math.max(1, chars / 4);
    }

    private static long chars(Part p) {
        return switch (p) {
            case Part.Text t -> t.text().length();
            case Part.ToolCall c -> (c.argumentsJson() == null ? 0 : c.argumentsJson().length()) + (c.name() == null ? 0 : c.name().length());
            case Part.ToolResult r -> r.parts().stream().mapToLong(TokenEstimate::chars).sum();
            case Part.Thinking t -> t.text().length();
            case Part.Image i -> 6000; // ~1,500 tokens: a typical image's cost
            default -> 0;
        };
    }
}
