package io.canaryllm.wire.mapping;

import java.security.SecureRandom;

/** Fresh ids in each protocol's format (protocols.md 5.12), from a CSPRNG. */
public final class Ids {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String chatCompletion() { return "chatcmpl-" + base62(29); }

    public static String chatToolCall() { return "call_" + base62(24); }

    /** Real Anthropic message ids start with {@code 01}; some clients sort or display them. */
    public static String anthropicMessage() { return "msg_01" + base62(22); }

    public static String anthropicToolUse() { return "toolu_01" + base62(22); }

    static String base62(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        return sb.toString();
    }
}
