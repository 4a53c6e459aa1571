package io.canaryllm.core;

import java.util.Map;

/**
 * An error the gateway answers itself, described protocol-neutrally; {@link ErrorResponder} writes it in the
 * caller's protocol. No stack trace: these are expected outcomes on the request path, not bugs.
 *
 * @param type    OpenAI error type ({@code invalid_request_error}, {@code server_error} …)
 * @param code    OpenAI error code or null
 * @param param   the request field at fault or null
 * @param headers extra response headers ({@code retry-after})
 */
public class GatewayError extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;

    public GatewayError(int status, String type, String code, String param, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers;
    }

    public static GatewayError badRequest(String param, String message) {
        return new GatewayError(400, "invalid_request_error", null, param, message, Map.of());
    }

    public static GatewayError unauthorized(String message) {
        return new GatewayError(401, "invalid_request_error", "invalid_api_key", null, message, Map.of());
    }

    /** 404 model_not_found, naming the request's {@code model} as the parameter at fault. */
    public static GatewayError modelNotFound(String message) {
        return new GatewayError(404, "invalid_request_error", "model_not_found", "model", message, Map.of());
    }

    public static GatewayError tooLarge(long limit) {
        return new GatewayError(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the gateway's limit of " + limit + " bytes.", Map.of());
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }
    public String param() { return param; }
    public Map<String, String> headers() { return headers; }
}
