package io.canaryllm.wire.openai.responses;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.sse.Sse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Part;
import io.canaryllm.core.Json;

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
 * tokens, {@code gAAAA…}) never starts with, so OpenAI's items are recognised as foreign and dropped. The object is
 * {@code {"t": text, "s": signature, "v": vendor}} for thinking — {@code v} names the vendor that issued the
 * signature ({@code anthropic}, {@code gemini}), since signatures are vendor-bound (5.9) and the conversation may
 * move to another vendor's model — or {@code {"r": data}} for Anthropic's redacted thinking.
 *
 * <p>Decoded, a thinking part carries the vendor in its canonical signature, {@link ForeignThinking}'s marked form
 * ({@code canaryllm:gemini:…}, {@code canaryllm:anthropic:…}): the wire codecs then send it only to the vendor that
 * issued it ({@link ForeignThinking#anthropicSignature}, {@link ForeignThinking#geminiSignature}). Items made before
 * the encoding recorded the vendor (no {@code v}, e.g. in a client's history or the response store) decode to the
 * bare signature, of unknown vendor, and are replayed as they were before.
 */
public final class ResponsesReasoning {
    static final String PREFIX = "canaryllm.r1.";

    private ResponsesReasoning() {}

    /**
     * The encoding of a part worth replaying (signed thinking or redacted thinking), else null.
     *
     * @param upstream the wire the part came from: the vendor that issued its signature
     */
    public static String encode(Part part, Protocol upstream) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (part) {
            case Part.Thinking t -> {
                if (t.signature() == null || t.signature().isEmpty()) return null;
                o.put("t", t.text() == null ? "" : t.text()).put("s", t.signature()).put("v", ForeignThinking.vendor(upstream));
            }
            case Part.RedactedThinking r -> o.put("r", r.data());
            default -> { return null; }
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Sse.json(o).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The part an encoding stands for, its signature in the marked form of its vendor (bare when the encoding names
     * none); null for anything else (OpenAI's own encrypted content, garbage).
     */
    public static Part decode(String encrypted) {
        if (encrypted == null || !encrypted.startsWith(PREFIX)) return null;
        try {
            byte[] raw = Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length()));
            JsonNode o = Json.MAPPER.readTree(raw);
            if (o.path("r").isTextual()) return new Part.RedactedThinking(o.get("r").asText(), null);
            if (o.path("s").isTextual()) {
                String signature = o.get("s").asText();
                String vendor = o.path("v").isTextual() ? o.get("v").asText() : null;
                return new Part.Thinking(o.path("t").asText(""), vendor == null ? signature : ForeignThinking.canonical(vendor, signature), null);
            }
            return null;
        } catch (Exception e) {
            return null; // a client edited it: nothing that can be replayed
        }
    }
}
