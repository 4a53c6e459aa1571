package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.TranslationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Role;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical turns → Gemini {@code contents} (protocols.md 4.2, 5.1, 5.5, 5.6; pitfalls 3, 5, 8, 34, 35, 37):
 * roles {@code user}/{@code model} on every content (Vertex requires it), consecutive same-role turns merged (so the
 * responses to parallel calls form ONE user content, in call order, before any other part), empty text and empty
 * contents dropped, every {@code functionResponse} named after its call, results wrapped as objects, thought
 * signatures replayed.
 */
public final class GeminiContents {
    /**
     * Google's documented value for a call whose signature is unknown (history from another model, or a signature the
     * gateway no longer remembers): 5.5 option 3, pitfall 8.
     */
    public static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private GeminiContents() {}

    static ArrayNode build(List<Message> messages) {
        Map<String, String> callNames = new HashMap<>();
        List<Role> roles = new ArrayList<>();
        List<List<ObjectNode>> contents = new ArrayList<>();
        for (Message m : messages) {
            List<ObjectNode> parts = new ArrayList<>();
            for (Part p : m.parts()) addPart(p, parts, callNames);
            if (parts.isEmpty()) continue;
            int last = roles.size() - 1;
            if (last >= 0 && roles.get(last) == m.role()) {
                contents.get(last).addAll(parts);
            } else {
                roles.add(m.role());
                contents.add(parts);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            boolean model = roles.get(i) == Role.ASSISTANT;
            List<ObjectNode> parts = model ? withFirstCallSigned(contents.get(i)) : responsesFirst(contents.get(i));
            ObjectNode content = out.addObject().put("role", model ? "model" : "user");
            ArrayNode arr = content.putArray("parts");
            parts.forEach(arr::add);
        }
        return out;
    }

    private static void addPart(Part p, List<ObjectNode> out, Map<String, String> callNames) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        switch (p) {
            case Part.Text t -> {
                if (t.text() == null || t.text().isEmpty()) return; // pitfall 35
                g.put("text", t.text());
            }
            case Part.Image i -> media(g, i.inline(), i.mediaType(), i.data(), i.url());
            case Part.Document d -> media(g, d.data() != null, d.mediaType(), d.data(), d.url());
            case Part.ToolCall c -> {
                callNames.put(c.id(), c.name());
                GeminiCallMemory.Call known = GeminiCallMemory.recall(c.id());
                ObjectNode call = g.putObject("functionCall").put("name", c.name());
                call.set("args", Arguments.toObject(c.argumentsJson()));
                if (known != null && known.upstreamId() != null) call.put("id", known.upstreamId());
                String signature = c.thoughtSignature() != null ? c.thoughtSignature() : known == null ? null : known.thoughtSignature();
                if (signature != null) g.put("thoughtSignature", signature);
            }
            case Part.ToolResult r -> {
                toolResult(r, g, out, callNames);
                return;
            }
            case Part.Thinking t -> {
                // 5.9: thought summaries matter only with their signature; unsigned reasoning (another vendor's
                // summary) cannot be replayed and is dropped, as is a thought marked as another vendor's. Gemini's
                // own, in the gateway's marked form (Anthropic client, Responses reasoning item), goes back as the
                // original (ForeignThinking); a call left without a signature gets SKIP_SIGNATURE below
                String signature = ForeignThinking.geminiSignature(t.signature());
                if (signature == null) return;
                g.put("text", t.text() == null ? "" : t.text()).put("thought", true).put("thoughtSignature", signature);
            }
            case Part.RedactedThinking r -> {
                return; // another vendor's encrypted reasoning: meaningless to Gemini
            }
        }
        out.add(g);
    }

    /** 5.5: the function NAME is required (pitfall 5), the response an object (pitfall 37), {@code error} on failure. */
    private static void toolResult(Part.ToolResult r, ObjectNode g, List<ObjectNode> out, Map<String, String> callNames) {
        String name = r.name() != null ? r.name() : callNames.get(r.callId());
        if (name == null) {
            // never a placeholder name: Gemini pairs calls and responses by name (5.5)
            throw new TranslationException("messages",
                    "Tool result '" + r.callId() + "' does not answer any tool call earlier in the conversation.");
        }
        StringBuilder text = new StringBuilder();
        List<ObjectNode> media = new ArrayList<>();
        for (Part inner : r.parts()) {
            switch (inner) {
                case Part.Text t -> {
                    if (!text.isEmpty() && !t.text().isEmpty()) text.append("\n\n");
                    text.append(t.text());
                }
                case Part.Image i -> media.add(media(Json.MAPPER.createObjectNode(), i.inline(), i.mediaType(), i.data(), i.url()));
                case Part.Document d -> media.add(media(Json.MAPPER.createObjectNode(), d.data() != null, d.mediaType(), d.data(), d.url()));
                default -> { }
            }
        }
        ObjectNode response = g.putObject("functionResponse").put("name", name);
        GeminiCallMemory.Call known = GeminiCallMemory.recall(r.callId());
        if (known != null && known.upstreamId() != null) response.put("id", known.upstreamId());
        response.putObject("response").put(r.isError() ? "error" : "output", text.toString());
        out.add(g);
        // images a tool returned follow its response in the same user content
        out.addAll(media);
    }

    private static ObjectNode media(ObjectNode g, boolean inline, String mediaType, String data, String url) {
        if (inline) {
            g.putObject("inlineData").put("mimeType", mediaType == null ? "application/octet-stream" : mediaType).put("data", data);
        } else {
            // pitfall 38: Gemini does not download http(s) URLs; gs:// and Files-API URIs are what fileData is for
            g.putObject("fileData").put("mimeType", mediaType != null ? mediaType : mimeFromUrl(url)).put("fileUri", url);
        }
        return g;
    }

    /** fileData needs a MIME type; guessed from the URL's extension (5.6). */
    static String mimeFromUrl(String url) {
        String path = url == null ? "" : url.toLowerCase(Locale.ROOT);
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        if (path.endsWith(".png")) return "image/png";
        if (path.endsWith(".gif")) return "image/gif";
        if (path.endsWith(".webp")) return "image/webp";
        if (path.endsWith(".heic")) return "image/heic";
        if (path.endsWith(".pdf")) return "application/pdf";
        return "image/jpeg";
    }

    /** Pitfall 3: every functionResponse of a turn leads its user content, in call order. */
    private static List<ObjectNode> responsesFirst(List<ObjectNode> parts) {
        List<ObjectNode> sorted = new ArrayList<>();
        for (ObjectNode p : parts) if (p.has("functionResponse")) sorted.add(p);
        for (ObjectNode p : parts) if (!p.has("functionResponse")) sorted.add(p);
        return sorted;
    }

    /** Pitfall 8: Gemini 3 requires a signature on the first functionCall of each step; unknown → the skip value. */
    private static List<ObjectNode> withFirstCallSigned(List<ObjectNode> parts) {
        for (ObjectNode p : parts) {
            if (p.has("functionCall")) {
                if (!p.has("thoughtSignature")) p.put("thoughtSignature", SKIP_SIGNATURE);
                break;
            }
        }
        return parts;
    }
}
