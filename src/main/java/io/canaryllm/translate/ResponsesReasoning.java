package io.canaryllm.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Part;
import io.canaryllm.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The gateway-private {@code encrypted_content} of a Responses {@code reasoning} item (protocols.md 5.9: "put the
 * signature in encrypted_content (gateway-private encoding) so it round-trips"). A Responses client such as Codex
 * (which sends {@code include:["reasoning.encrypted_content"]}) replays reasoning items verbatim on the next turn;
 * this encoding lets an Anthropic thinking block (text + signature) or a redacted block, or a signed Gemini thought,
 * come back to the upstream exactly as it was issued — Anthropic requires the thinking block of a tool-use turn.
 *
 * <p>Not encryption: base64url of a small JSON object, behind a prefix that OpenAI's own encrypted content (Fernet
 * tokens, {@code gAAAA…}) never starts with, so OpenAI's items are recognised as foreign and dropped.
 */
public final class ResponsesReasoning {
    static final String PREFIX = "canaryllm.r1.";

    private ResponsesReasoning() {}

    /** The encoding of a part worth replaying (signed thinking or redacted thinking), else null. */
    public static String encode(Part part) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (part) {
            case Part.Thinking t -> {
                if (t.signature() == null || t.signature().isEmpty()) return null;
                o.put("t", t.text() == null ? "" : t.text()).put("s", t.signature());
            }
            case Part.RedactedThinking r -> o.put("r", r.data());
            default -> { return null; }
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Sse.json(o).getBytes(StandardCharsets.UTF_8));
    }

    /** The part an encoding stands for; null for anything else (OpenAI's own encrypted content, garbage). */
    public static Part decode(String encrypted) {
        if (encrypted == null || !encrypted.startsWith(PREFIX)) return null;
        try {
            byte[] raw = Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length()));
            JsonNode o = Json.MAPPER.readTree(raw);
            if (o.path("r").isTextual()) return new Part.RedactedThinking(o.get("r").asText(), null);
            if (o.path("s").isTextual()) return new Part.Thinking(o.path("t").asText(""), o.get("s").asText(), null);
            return null;
        } catch (Exception e) {
            return null; // a client edited it: nothing that can be replayed
        }
    }
}
