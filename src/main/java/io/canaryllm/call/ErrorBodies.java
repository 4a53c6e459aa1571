package io.canaryllm.call;

import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.wire.anthropic.AnthropicErrors;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error bodies per client protocol (protocols.md 6.1, 6.2, 6.5).
 * OpenAI: {@code {"error": {"message", "type", "param", "code"}}}; the gateway's own surfaces use it too.
 * Anthropic: {@code {"type": "error", "error": {"type", "message"}}} with the type taken from the status
 * ({@link AnthropicErrors}).
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static byte[] of(ClientProtocol protocol, GatewayError e) {
        return switch (protocol) {
            case OPENAI_CHAT, RESPONSES, GATEWAY -> openAi(e.type(), e.code(), e.param(), e.getMessage());
            case ANTHROPIC -> Json.bytes(AnthropicErrors.body(e.status(), e.getMessage()));
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
        if (protocol == ClientProtocol.RESPONSES) {
            // an error event, then response.failed, so SDK state machines end (protocols.md 6.5)
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", "error");
            error.put("code", e.code());
            error.put("message", e.getMessage());
            error.put("param", e.param());
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("type", "response.failed");
            failed.put("response", Map.of("object", "response", "status", "failed",
                    "error", Map.of("code", e.code() == null ? "server_error" : e.code(), "message", e.getMessage())));
            return ("event: error\ndata: " + new String(Json.bytes(error), StandardCharsets.UTF_8) + "\n\n"
                    + "event: response.failed\ndata: " + new String(Json.bytes(failed), StandardCharsets.UTF_8) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        String prefix = protocol == ClientProtocol.ANTHROPIC ? "event: error\ndata: " : "data: ";
        return (prefix + new String(of(protocol, e), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The caller's protocol as its path tells, for answers given before a route runs (body limit). */
    public static ClientProtocol protocolOfPath(String path) {
        if (path != null && path.startsWith("/v1/messages")) return ClientProtocol.ANTHROPIC;
        return path != null && path.startsWith("/v1/responses") ? ClientProtocol.RESPONSES : ClientProtocol.OPENAI_CHAT;
    }
}
