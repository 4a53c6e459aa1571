package io.canaryllm.http;

import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.upstream.UpstreamFailure;

import java.util.Map;

/** Upstream error answers turned into the gateway's (protocols.md 6.6): the upstream's message is kept. */
final class UpstreamErrors {
    private UpstreamErrors() {}

    static GatewayError fromStatus(String provider, UpstreamFailure f) {
        String message = upstreamMessage(f.body());
        String text = provider + " answered HTTP " + f.status() + (message == null ? "" : ": " + message);
        if (f.status() == 429) {
            Map<String, String> headers = f.retryAfter() == null ? Map.of() : Map.of("retry-after", f.retryAfter());
            return new GatewayError(429, "rate_limit_error", "rate_limit_exceeded", null, text, headers);
        }
        return new GatewayError(502, "server_error", "upstream_error", null, text, Map.of());
    }

    /** The {@code error.message} of an OpenAI, Anthropic or Google error body, AWS's {@code message}, or its first 500 characters. */
    static String upstreamMessage(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            JsonNode msg = node.path("error").path("message");
            if (msg.isTextual()) return msg.asText();
            if (node.path("error").isTextual()) return node.path("error").asText();
            // AWS (Bedrock): {"message": …}, the type in the x-amzn-ErrorType header
            if (node.path("message").isTextual()) return node.path("message").asText();
            if (node.path("Message").isTextual()) return node.path("Message").asText();
        } catch (Exception notJson) {
            // fall through to the raw text
        }
        String raw = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return raw.length() > 500 ? raw.substring(0, 500) + "…" : raw;
    }
}
