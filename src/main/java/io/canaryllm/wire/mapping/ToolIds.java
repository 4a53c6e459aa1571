package io.canaryllm.wire.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Tool-call ids made acceptable to each protocol (protocols.md 5.5, pitfall 9). Deterministic, so the id a client
 * gets back in an answer maps to the same upstream id when the client sends it in the next request, and valid ids
 * pass unchanged. Rewritten ids carry a hash of the original, so two different ids never map to the same one.
 */
public final class ToolIds {
    /** Anthropic: "tool_use.id MUST match ^[a-zA-Z0-9_-]+$". */
    private static final Pattern ANTHROPIC_VALID = Pattern.compile("^[a-zA-Z0-9_-]+$");
    /** OpenAI: "tool_calls[].id max length 40" (400 string_above_max_length). */
    private static final int OPENAI_MAX = 40;

    private ToolIds() {}

    public static String forAnthropic(String id) {
        if (id == null || id.isEmpty()) return Ids.anthropicToolUse();
        if (ANTHROPIC_VALID.matcher(id).matches()) return id;
        String cleaned = id.replaceAll("[^a-zA-Z0-9_-]", "_");
        return cleaned + "_" + hash8(id);
    }

    public static String forOpenAi(String id) {
        if (id == null || id.isEmpty()) return Ids.chatToolCall();
        if (id.length() <= OPENAI_MAX) return id;
        return id.substring(0, OPENAI_MAX - 9) + "_" + hash8(id);
    }

    /** Eight hex digits of the SHA-256 of {@code s}: a stable suffix for a shortened id or name. */
    public static String hash8(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
