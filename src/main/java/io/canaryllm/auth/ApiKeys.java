package io.canaryllm.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Key material: generation ({@code clk_live_} + 32 base62 characters) and the SHA-256 stored in its place. */
public final class ApiKeys {
    public static final String LIVE_PREFIX = "clk_live_";
    public static final String ADMIN_PREFIX = "clk_admin_";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String newLiveKey() { return LIVE_PREFIX + base62(32); }

    public static String newAdminKey() { return ADMIN_PREFIX + base62(32); }

    public static String newId() { return "key_" + base62(16); }

    static String base62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        return new String(out);
    }

    public static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two hex digests. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** What may be shown of a key: its prefix and first four secret characters. */
    public static String displayPrefix(String key) {
        int end = Math.min(key.length(), key.startsWith(LIVE_PREFIX) ? LIVE_PREFIX.length() + 4 : 8);
        return key.substring(0, end);
    }
}
