package io.canaryllm.wire.openai.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;

/** OpenAI's error object (protocols.md 6.1), used for in-stream errors sent to Chat clients (6.5, 6.6). */
public final class OpenAiErrors {
    private OpenAiErrors() {}

    /** {@code {"error":{"message","type","param":null,"code"}}}; {@code code} is the upstream's type, if any. */
    public static ObjectNode body(int status, String upstreamType, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message == null ? "" : message);
        error.put("type", typeFor(status));
        error.putNull("param");
        if (upstreamType == null) error.putNull("code");
        else error.put("code", upstreamType);
        return root;
    }

    /** 6.6 table, Chat column. */
    static String typeFor(int status) {
        if (status == 429) return "rate_limit_exceeded";
        if (status == 401) return "authentication_error";
        if (status == 403) return "permission_error";
        if (status >= 400 && status < 500) return "invalid_request_error";
        return "server_error";
    }
}
