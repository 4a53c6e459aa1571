package io.canaryllm.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error bodies per client protocol (protocols.md 6.1, 6.2, 6.5).
 * OpenAI: {@code {"error": {"message", "type", "param", "code"}}}; the gateway's own surfaces use it too.
 * Anthropic: {@code {"type": "error", "error": {"type", "message"}}} with the type taken from the status.
 */
public final class ErrorBodies {
    /** Anthropic's error type per HTTP status (docs.claude.com/en/api/errors, protocols.md 6.2). */
    private static final Map<Integer, String> ANTHROPIC_TYPES = Map.ofEntries(
            Map.entry(400, "invalid_request_error"), Map.entry(401, "authentication_error"),
            Map.entry(402, "billing_error"), Map.entry(403, "permission_error"), Map.entry(404, "not_found_error"),
            Map.entry(405, "invalid_request_error"), Map.entry(413, "request_too_large"),
            Map.entry(429, "rate_limit_error"), Map.entry(500, "api_error"), Map.entry(501, "invalid_request_error"),
            Map.entry(502, "api_error"), Map.entry(503, "overloaded_error"), Map.entry(504, "timeout_error"),
            Map.entry(529, "overloaded_error"));

    private ErrorBodies() {}

    public static byte[] of(ClientProtocol protocol, GatewayError e) {
        return switch (protocol) {
            case OPENAI_CHAT, GATEWAY -> openAi(e.type(), e.code(), e.param(), e.getMessage());
            case ANTHROPIC -> anthropic(e.status(), e.getMessage());
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

    public static byte[] anthropic(int status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", ANTHROPIC_TYPES.getOrDefault(status, status >= 500 ? "api_error" : "invalid_request_error"));
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "error");
        body.put("error", error);
        return Json.bytes(body);
    }

    /** The same error as one SSE frame, for failures after a stream has started (protocols.md 6.5). */
    public static byte[] streamFrame(ClientProtocol protocol, GatewayError e) {
        String prefix = protocol == ClientProtocol.ANTHROPIC ? "event: error\ndata: " : "data: ";
        return (prefix + new String(of(protocol, e), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The caller's protocol as its path tells, for answers given before a route runs (body limit). */
    public static ClientProtocol protocolOfPath(String path) {
        return path != null && path.startsWith("/v1/messages") ? ClientProtocol.ANTHROPIC : ClientProtocol.OPENAI_CHAT;
    }
}
