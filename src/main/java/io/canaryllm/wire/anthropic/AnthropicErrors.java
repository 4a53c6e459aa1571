package io.canaryllm.wire.anthropic;

import io.canaryllm.wire.sse.Sse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Anthropic's error body and in-stream error frame (protocols.md 2.5, 6.2, 6.6). */
public final class AnthropicErrors {
    /** HTTP status → Anthropic {@code error.type} (6.2; 502 and 503 per 6.6's upstream 5xx / overloaded rows). */
    static final Map<Integer, String> TYPE_BY_STATUS = Map.ofEntries(
            Map.entry(400, "invalid_request_error"),
            Map.entry(401, "authentication_error"),
            Map.entry(402, "billing_error"),
            Map.entry(403, "permission_error"),
            Map.entry(404, "not_found_error"),
            Map.entry(413, "request_too_large"),
            Map.entry(429, "rate_limit_error"),
            Map.entry(500, "api_error"),
            Map.entry(502, "api_error"),
            Map.entry(503, "overloaded_error"),
            Map.entry(504, "timeout_error"),
            Map.entry(529, "overloaded_error"));

    private AnthropicErrors() {}

    /** The type for a status: other 4xx are {@code invalid_request_error}, other 5xx {@code api_error}. */
    public static String typeFor(int status) {
        String type = TYPE_BY_STATUS.get(status);
        if (type != null) return type;
        return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    }

    /** {@code {"type":"error","error":{"type":…,"message":…}}}. */
    public static ObjectNode body(int status, String message) {
        return body(typeFor(status), message);
    }

    public static ObjectNode body(String type, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        error.put("message", message == null ? "" : message);
        return root;
    }

    /** The SSE frame sent when a stream fails after the 200: {@code event: error}, then the stream closes. */
    public static byte[] streamFrame(int status, String message) {
        return Sse.frame("error", body(status, message)).getBytes(StandardCharsets.UTF_8);
    }
}
