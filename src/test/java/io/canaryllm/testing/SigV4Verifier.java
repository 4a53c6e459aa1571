package io.canaryllm.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake upstream's own SigV4 check, written from AWS's description of the canonical request (not from the SDK's
 * code), so a gateway that misuses the SDK's signer fails here: it rebuilds the canonical request from what arrived
 * (method, raw path, query, the headers the signature names, body), derives the key from the secret and compares
 * the signature. Non-S3 rules: each path is URI-encoded once more (double encoding), the query sorted by name then
 * value, header values trimmed with inner spaces collapsed.
 */
public final class SigV4Verifier {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    private final String accessKeyId;
    private final String secret;

    public SigV4Verifier(String accessKeyId, String secret) {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
    }

    /** What the check found: ok, or why not. */
    public record Verdict(boolean ok, String reason, String region, String service) {}

    /**
     * @param rawPath  the path as sent (percent-encoded)
     * @param rawQuery the query as sent, without {@code ?}; null when none
     * @param headers  the request's headers by lower-case name
     */
    public Verdict verify(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        String authorization = headers.get("authorization");
        if (authorization == null) return new Verdict(false, "no Authorization header", null, null);
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) return new Verdict(false, "not a SigV4 Authorization: " + authorization, null, null);
        if (!m.group(1).equals(accessKeyId)) return new Verdict(false, "unknown access key " + m.group(1), null, null);
        String amzDate = headers.get("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(m.group(2))) return new Verdict(false, "x-amz-date missing or off scope", null, null);
        List<String> signed = List.of(m.group(5).split(";"));
        if (!signed.contains("host")) return new Verdict(false, "host is not signed", null, null);
        String expected = signature(method, rawPath, rawQuery, headers, signed, body, amzDate, m.group(3), m.group(4));
        if (expected == null) return new Verdict(false, "a signed header is missing", m.group(3), m.group(4));
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(6).getBytes(StandardCharsets.US_ASCII));
        return new Verdict(ok, ok ? "signature matches" : "signature mismatch", m.group(3), m.group(4));
    }

    /** The hex signature of a request, or null when a header it names is not there. */
    public String signature(String method, String rawPath, String rawQuery, Map<String, String> headers, List<String> signed,
                            byte[] body, String amzDate, String region, String service) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(encode(rawPath.isEmpty() ? "/" : rawPath, false)).append('\n');
        canonical.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signed) {
            String value = headers.get(name);
            if (value == null) return null;
            canonical.append(name).append(':').append(value.strip().replaceAll(" +", " ")).append('\n');
        }
        canonical.append('\n').append(String.join(";", signed)).append('\n').append(hex(sha256(body == null ? new byte[0] : body)));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = encode(decode(eq < 0 ? pair : pair.substring(0, eq)), true);
            String value = eq < 0 ? "" : encode(decode(pair.substring(eq + 1)), true);
            sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        List<String> out = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> out.add(name + "=" + v)));
        return String.join("&", out);
    }

    private static String decode(String s) { return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8); }

    /** RFC 3986 unreserved characters stay, everything else is %XX (upper case); '/' too when {@code slash}. */
    static String encode(String s, boolean slash) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0
                    || (c == '/' && !slash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}
