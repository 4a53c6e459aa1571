package io.canaryllm.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error bodies per client protocol. OpenAI shape: {@code {"error": {"message", "type", "param", "code"}}}
 * (protocols.md 6.1); the gateway's own surfaces use it too.
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static byte[] of(ClientProtocol protocol, GatewayError e) {
        return switch (protocol) {
            case OPENAI_CHAT, GATEWAY -> openAi(e.type(), e.code(), e.param(), e.getMessage());
        };
    }

    public static byte[] openAi(String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Json.bytes(Map.of("error", error));
    }

    /** The same error as one SSE frame, for failures after a stream has started (protocols.md 6.5). */
    public static byte[] streamFrame(ClientProtocol protocol, GatewayError e) {
        byte[] body = of(protocol, e);
        byte[] frame = new byte[body.length + 8];
        System.arraycopy("data: ".getBytes(), 0, frame, 0, 6);
        System.arraycopy(body, 0, frame, 6, body.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }
}
