package io.canaryllm.testing;

import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake Bedrock runtime on {@link FakeUpstream} (provider path {@code /bedrock}): every request's SigV4 signature
 * is checked by {@link SigV4Verifier} (service {@code bedrock}, region us-east-1, the test credentials) before its
 * script runs; scripts answer Converse JSON or ConverseStream event-stream frames, built with the AWS event-stream
 * library's own encoder ({@link Message}), exception frames and a frame with a broken CRC included.
 */
public final class FakeBedrock {
    public static final String PROVIDER = "bedrock";
    public static final String ACCESS_KEY = "AKIDEXAMPLE";
    public static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static final String SESSION_TOKEN = "test-session-token";
    private static final SigV4Verifier VERIFIER = new SigV4Verifier(ACCESS_KEY, SECRET);

    private FakeBedrock() {}

    /** Installs the signature check on the fake's {@code /bedrock} path. */
    static void install(FakeUpstream fake) {
        fake.check(PROVIDER, FakeBedrock::refusal);
    }

    /** Why the fake refuses this request, or null when its signature holds. */
    public static String refusal(FakeUpstream.Received r) {
        SigV4Verifier.Verdict v = VERIFIER.verify("POST", r.path(), r.query(), r.headers(), r.body().getBytes(StandardCharsets.UTF_8));
        if (!v.ok()) return "The request signature we calculated does not match the signature you provided (" + v.reason() + ").";
        if (!"bedrock".equals(v.service()) || !"us-east-1".equals(v.region())) return "Credential should be scoped to bedrock/us-east-1.";
        if (!SESSION_TOKEN.equals(r.headers().get("x-amz-security-token"))) return "The security token included in the request is invalid.";
        return null;
    }

    /** A plain Converse answer. */
    public static FakeUpstream.Script converse(String contentJson, String stopReason, int input, int output) {
        return a -> a.json(200, """
                {"output":{"message":{"role":"assistant","content":%s}},"stopReason":"%s",
                 "usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d},"metrics":{"latencyMs":412}}"""
                .formatted(contentJson, stopReason, input, output, input + output));
    }

    public static FakeUpstream.Script text(String text) {
        return converse("[{\"text\":\"" + text + "\"}]", "end_turn", 11, 5);
    }

    /** A Bedrock error answer: {@code {"message"}} with its type in {@code x-amzn-ErrorType}. */
    public static FakeUpstream.Script error(int status, String type, String message) {
        return a -> {
            a.header("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
            a.status(status, null, "{\"message\":\"" + message + "\"}");
        };
    }

    /** A ConverseStream answer: these frames, each flushed on its own. */
    public static FakeUpstream.Script stream(byte[]... frames) {
        return a -> {
            a.startEventStream();
            for (byte[] f : frames) a.bytes(f);
        };
    }

    /** One event frame ({@code :message-type event}). */
    public static byte[] event(String type, String json) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":event-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("event"));
        return bytes(new Message(h, json.getBytes(StandardCharsets.UTF_8)));
    }

    /** One exception frame ({@code :message-type exception}), as Bedrock sends a failure mid-stream. */
    public static byte[] exception(String type, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("exception"));
        return bytes(new Message(h, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    /** The frame with one payload byte changed: its message CRC no longer matches. */
    public static byte[] corrupted(byte[] frame) {
        byte[] out = frame.clone();
        out[out.length - 6] ^= 0x20;
        return out;
    }

    private static byte[] bytes(Message m) {
        ByteBuffer b = m.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    // ---- ready-made ConverseStream event sequences ----

    public static byte[] messageStart() { return event("messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefgh\"}"); }

    public static byte[] textDelta(int block, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":\"" + text + "\"},\"p\":\"ab\"}");
    }

    public static byte[] blockStop(int block) { return event("contentBlockStop", "{\"contentBlockIndex\":" + block + "}"); }

    public static byte[] toolStart(int block, String id, String name) {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + block + ",\"start\":{\"toolUse\":{\"toolUseId\":\"" + id
                + "\",\"name\":\"" + name + "\"}}}");
    }

    public static byte[] toolDelta(int block, String inputJsonPiece) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"toolUse\":{\"input\":"
                + quote(inputJsonPiece) + "}}}");
    }

    public static byte[] messageStop(String stopReason) { return event("messageStop", "{\"stopReason\":\"" + stopReason + "\"}"); }

    public static byte[] metadata(int input, int output) {
        return event("metadata", "{\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output + ",\"totalTokens\":"
                + (input + output) + "},\"metrics\":{\"latencyMs\":321}}");
    }

    /** A whole text answer streamed in these pieces. */
    public static FakeUpstream.Script textStream(String... pieces) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(messageStart());
        for (String p : pieces) frames.add(textDelta(0, p));
        frames.add(blockStop(0));
        frames.add(messageStop("end_turn"));
        frames.add(metadata(12, pieces.length));
        return stream(frames.toArray(byte[][]::new));
    }

    static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
