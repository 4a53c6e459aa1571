package io.canaryllm.wire.mapping;

import io.canaryllm.core.Protocol;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The gateway-private {@code signature} of a {@code thinking} block that an Anthropic Messages client got from a
 * non-Anthropic upstream (protocols.md 5.9: signatures are vendor-bound; 4.4 "Gem upstream → Anth client": "a
 * gateway-encoded Gemini thoughtSignature … never a fake Anthropic signature if the client may later talk to real
 * Anthropic").
 *
 * <p>Claude Code keeps thinking blocks in its history and replays them, also after the user switched the
 * conversation to a Claude model — which Anthropic answers with a 400 ("Invalid signature in thinking block") for a
 * signature it did not issue, an empty one included. So every thinking block such a client gets from Gemini or an
 * OpenAI-compatible upstream is signed {@value #GEMINI} + Gemini's {@code thoughtSignature} (possibly empty) or
 * {@value #OPENAI} (those upstreams issue no signatures). The form is recognisable: a colon is in neither base64
 * alphabet, so no real (base64) Anthropic or Gemini signature contains one. It is not hidden: Gemini's signature is
 * opaque anyway.
 *
 * <p>On the way back: a request for the Anthropic wire loses these blocks ({@link #withoutGatewayThinking} for the
 * byte-exact passthrough, {@link AnthropicTurns} for translated calls); a request for Gemini gets the original
 * {@code thoughtSignature} back ({@link #geminiSignature}, used by {@link GeminiContents}); OpenAI drops thinking as
 * it always did.
 *
 * <p>The same form is the canonical signature of every thinking part whose vendor is known: {@code canaryllm:<vendor>:}
 * + the vendor's own signature. A Responses client's reasoning item records the vendor ({@link ResponsesReasoning}),
 * and decodes to this form — {@value #ANTHROPIC} included, a form no client ever sees (an Anthropic client gets
 * Anthropic's signature bare) — so one rule per wire serves both client protocols: {@link #anthropicSignature} and
 * {@link #geminiSignature}. A signature without the marker is of unknown vendor (an Anthropic client's history:
 * Anthropic's own or from before this encoding; a reasoning item stored before it recorded the vendor) and goes to
 * either wire as it is, as it always did.
 */
public final class ForeignThinking {
    /** What every gateway-issued signature starts with. */
    static final String MARKER = "canaryllm:";
    /** A Gemini thought; the rest is Gemini's {@code thoughtSignature}, empty when the thought came unsigned. */
    static final String GEMINI = MARKER + "gemini:";
    /** A reasoning block from Bedrock's Converse API; the rest is Bedrock's {@code reasoningText.signature}. */
    static final String BEDROCK = MARKER + "bedrock:";
    /** Reasoning text from an OpenAI-compatible upstream ({@code reasoning_content}): nothing to replay anywhere. */
    static final String OPENAI = MARKER + "openai:";
    /**
     * Canonical only (never shown to a client): a thought Anthropic signed, known to be Anthropic's (a Responses
     * client's reasoning item); the rest is Anthropic's signature. Back to Anthropic bare, never to Gemini.
     */
    static final String ANTHROPIC = MARKER + "anthropic:";
    /** The marker as it opens a JSON string value: what the passthrough looks for in the raw bytes. */
    private static final byte[] QUOTED_MARKER = ("\"" + MARKER).getBytes(StandardCharsets.UTF_8);
    private static final Set<String> THINKING_ON = Set.of("enabled", "adaptive");

    private ForeignThinking() {}

    /** The {@code signature} an Anthropic client sees for a thinking part that came from {@code upstream}. */
    public static String forAnthropicClient(Protocol upstream, String signature) {
        String own = signature == null ? "" : signature;
        return switch (upstream) {
            case ANTHROPIC -> own;
            case GEMINI -> GEMINI + own;
            case BEDROCK -> BEDROCK + own;
            case OPENAI_CHAT, OPENAI_RESPONSES -> OPENAI;
        };
    }

    /**
     * Whether the gateway issued this signature: what an Anthropic client holds then never came from Anthropic (the
     * {@value #ANTHROPIC} form exists only in canonical requests; {@link #anthropicSignature} reads those).
     */
    public static boolean isGatewayIssued(String signature) {
        return signature != null && signature.startsWith(MARKER);
    }

    /** The vendor name of the signatures {@code upstream} issues, as it stands in the marked form. */
    public static String vendor(Protocol upstream) {
        return switch (upstream) {
            case ANTHROPIC -> "anthropic";
            case GEMINI -> "gemini";
            case BEDROCK -> "bedrock";
            case OPENAI_CHAT, OPENAI_RESPONSES -> "openai";
        };
    }

    /**
     * The canonical signature of {@code signature} issued by {@code vendor} ({@link #vendor}): the marked form, which
     * each wire's rule reads. An unknown vendor name gets a form no wire accepts.
     */
    public static String canonical(String vendor, String signature) {
        return MARKER + vendor + ":" + (signature == null ? "" : signature);
    }

    /**
     * The {@code signature} to send to Anthropic for a canonical thinking part's signature, null when the block must
     * be dropped (5.9, vendor-bound): unsigned, or marked as another vendor's. A known Anthropic one
     * ({@value #ANTHROPIC}) goes bare, a signature of unknown vendor (no marker) as it is.
     */
    public static String anthropicSignature(String signature) { return ownSignature(ANTHROPIC, signature); }

    /**
     * Whether a translated request for the Anthropic wire loses a signed thinking part (another vendor's): then the
     * tool-loop rule of {@link #withoutGatewayThinking} applies to it too ({@link #unsignedToolLoop}).
     */
    public static boolean dropsSignedThinking(List<Message> messages) {
        for (Message m : messages) {
            for (Part p : m.parts()) {
                if (p instanceof Part.Thinking t && t.signature() != null && !t.signature().isEmpty()
                        && anthropicSignature(t.signature()) == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The {@code thoughtSignature} to replay to Gemini for a thinking block's signature: the original of a Gemini
     * one, null for another gateway-issued one (or an unsigned Gemini thought) and for a known Anthropic one. A
     * signature without the marker is returned as it is (history from before this encoding, or a Responses client's
     * reasoning item stored before {@link ResponsesReasoning} recorded the vendor).
     */
    public static String geminiSignature(String signature) { return ownSignature(GEMINI, signature); }

    /**
     * The signature to replay to Bedrock for a thinking part: only Bedrock's own (marked {@value #BEDROCK}); anything
     * else, an unmarked signature included, is null and the part is dropped (Bedrock validates what it signed).
     */
    public static String bedrockSignature(String signature) {
        if (signature == null || !signature.startsWith(BEDROCK)) return null;
        String original = signature.substring(BEDROCK.length());
        return original.isEmpty() ? null : original;
    }

    /**
     * What a wire whose marked signatures start with {@code own} may be sent: the original of its own marked
     * signature, nothing for another vendor's (or an empty one), and an unmarked signature as it is.
     */
    private static String ownSignature(String own, String signature) {
        if (signature == null || signature.isEmpty()) return null;
        if (signature.startsWith(own)) {
            String original = signature.substring(own.length());
            return original.isEmpty() ? null : original;
        }
        return signature.startsWith(MARKER) ? null : signature;
    }

    /**
     * An Anthropic Messages body for the Anthropic wire (same-protocol passthrough) without the thinking blocks the
     * gateway signed: Anthropic cannot validate them (5.9, another vendor's reasoning is dropped). Only a body whose
     * bytes contain the marker opening a string is parsed; any other body — the common case — is returned as the
     * same array, and so is one where no block had to go.
     *
     * <p>An assistant message left empty is removed (Anthropic rejects empty content; the API joins the two user
     * turns around it). Edge case: with thinking on, Anthropic requires the final assistant message of an unfinished
     * tool loop to start with a thinking block ("a final assistant message must start with a thinking block"). When
     * that message had a Gemini thought in front of its tool_use, nothing valid can stand there (the gateway never
     * invents a signature), so {@code thinking} is removed from this request: the model answers the tool results
     * without extended thinking (5.9: "disable thinking when the history contains tool calls the gateway cannot
     * re-sign"). Its answer has no thinking block either, so the rule keeps applying until the tool loop ends; the next
     * user turn gets thinking again.
     */
    public static byte[] withoutGatewayThinking(byte[] body) {
        if (indexOf(body, QUOTED_MARKER) < 0) return body;
        JsonNode root;
        try {
            // big decimals, trailing zeros kept: numbers elsewhere in the body are written back with the client's digits
            root = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).readTree(body);
        } catch (IOException e) {
            return body; // the upstream reports it
        }
        if (root == null || !root.path("messages").isArray()) return body;
        ArrayNode kept = Json.MAPPER.createArrayNode();
        boolean removed = false;
        for (JsonNode m : root.get("messages")) {
            JsonNode content = m.path("content");
            if (!content.isArray()) {
                kept.add(m);
                continue;
            }
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            for (JsonNode b : content) {
                if ("thinking".equals(b.path("type").asText()) && isGatewayIssued(b.path("signature").asText(null))) removed = true;
                else blocks.add(b);
            }
            if (blocks.size() == content.size()) {
                kept.add(m);
            } else if (!blocks.isEmpty()) {
                ((ObjectNode) m).set("content", blocks);
                kept.add(m);
            }
        }
        if (!removed) return body;
        ObjectNode out = (ObjectNode) root;
        out.set("messages", kept);
        if (THINKING_ON.contains(out.path("thinking").path("type").asText()) && unsignedToolLoop(kept)) out.remove("thinking");
        return Json.bytes(out);
    }

    /**
     * The last message answers tool calls of an assistant message that does not start with (redacted) thinking. Also
     * for translated requests ({@link AnthropicRequests}): its {@code messages} are shaped alike.
     */
    public static boolean unsignedToolLoop(ArrayNode messages) {
        int n = messages.size();
        if (n < 2) return false;
        JsonNode last = messages.get(n - 1);
        JsonNode assistant = messages.get(n - 2);
        if (!"user".equals(last.path("role").asText()) || !"assistant".equals(assistant.path("role").asText())) return false;
        if (!"tool_result".equals(last.path("content").path(0).path("type").asText())) return false;
        String first = assistant.path("content").path(0).path("type").asText();
        return !first.equals("thinking") && !first.equals("redacted_thinking");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int max = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= max; i++) {
            if (haystack[i] != first) continue;
            for (int j = 1; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
