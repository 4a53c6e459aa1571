package io.canaryllm.call;

import io.canaryllm.core.GatewayError;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** A model call's request body as the routes hand it over, and the one media type it may have. */
public final class RequestBody {
    private RequestBody() {}

    /** The body's bytes, whatever Camel or Vert.x wrapped them in; empty when there is none. */
    public static byte[] bytes(Object body) {
        if (body instanceof Buffer b) return b.getBytes();
        if (body instanceof byte[] b) return b;
        if (body instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        return new byte[0];
    }

    /**
     * The model endpoints take JSON only, as OpenAI's and Anthropic's do: another declared type (curl's {@code -d}
     * alone sends a form type) is a 415 in the caller's format. No Content-Type at all is taken as JSON, and a header
     * sent twice (a proxy adding its own) arrives as a list, every value of which must be JSON.
     */
    public static void requireJson(Object contentTypeHeader) {
        if (contentTypeHeader instanceof Iterable<?> values) {
            for (Object v : values) requireJson(String.valueOf(v));
        } else if (contentTypeHeader != null) {
            requireJson(contentTypeHeader.toString());
        }
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) return;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))) return;
        throw new GatewayError(415, "invalid_request_error", "unsupported_media_type", null,
                "Unsupported Content-Type '" + contentType + "': send the request body as application/json.", Map.of());
    }
}
