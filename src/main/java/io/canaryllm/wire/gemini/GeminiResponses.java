package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.UpstreamAnswerException;
import io.canaryllm.wire.mapping.UsageCodec;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;

import java.util.ArrayList;
import java.util.List;

/**
 * Gemini {@code GenerateContentResponse} (protocols.md 4.3) → {@link ChatResponse}. Only the first candidate is read
 * (the gateway never asks for more). Function calls get an id (Gemini's own when it sent one, else a fresh
 * {@code call_…}), and their thought signatures are remembered under it for the next request (5.5).
 */
public final class GeminiResponses {
    private GeminiResponses() {}

    /** @throws UpstreamAnswerException when the model broke its turn ({@code MALFORMED_FUNCTION_CALL} …), 5.7 */
    public static ChatResponse toCanonical(JsonNode body) {
        JsonNode candidate = body.path("candidates").path(0);
        List<Part> parts = new ArrayList<>();
        for (JsonNode p : candidate.path("content").path("parts")) {
            Part part = part(p);
            if (part != null) parts.add(part);
        }
        boolean sawCall = parts.stream().anyMatch(p -> p instanceof Part.ToolCall);
        StopReason reason;
        if (candidate.isMissingNode() && body.path("promptFeedback").has("blockReason")) {
            reason = StopReason.CONTENT_FILTER; // pitfall 39: a blocked prompt is a 200 without candidates
        } else {
            String finish = candidate.path("finishReason").asText(null);
            reason = StopReasons.fromGemini(finish, sawCall);
            if (reason == StopReason.ERROR) throw brokenTurn(finish, candidate.path("finishMessage").asText(null));
        }
        return new ChatResponse(body.path("responseId").asText(null), body.path("modelVersion").asText(null), parts,
                reason, UsageCodec.fromGemini(body.path("usageMetadata")));
    }

    static UpstreamAnswerException brokenTurn(String finishReason, String finishMessage) {
        return new UpstreamAnswerException(finishReason, "The model produced an unusable answer (" + finishReason + ")"
                + (finishMessage == null || finishMessage.isEmpty() ? "." : ": " + finishMessage));
    }

    /** One Gemini part, or null when it has no canonical meaning (empty text, executable code, inline output …). */
    private static Part part(JsonNode p) {
        if (p.has("functionCall")) return toolCall(p);
        if (!p.path("text").isTextual()) return null;
        String text = p.get("text").asText();
        String signature = p.path("thoughtSignature").asText(null);
        if (p.path("thought").asBoolean(false)) return new Part.Thinking(text, signature, null);
        return text.isEmpty() ? null : new Part.Text(text);
    }

    /** 5.5: Gemini's id when present, else a fresh one; the signature remembered under the id the client will see. */
    static Part.ToolCall toolCall(JsonNode p) {
        JsonNode f = p.path("functionCall");
        String upstreamId = f.path("id").isTextual() && !f.get("id").asText().isEmpty() ? f.get("id").asText() : null;
        String id = upstreamId != null ? upstreamId : Ids.chatToolCall();
        String signature = p.path("thoughtSignature").asText(null);
        GeminiCallMemory.remember(id, signature, upstreamId);
        return new Part.ToolCall(id, f.path("name").asText(null), Arguments.toText(f.get("args")), null, signature);
    }
}
