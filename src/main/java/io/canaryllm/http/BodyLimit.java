package io.canaryllm.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds the limit before its body is read, with a 413 in
 * the caller's error format. Chunked bodies over the limit are stopped by the server's own body limit
 * ({@code camel.server.maxBodySize}), which answers a plain 413.
 */
public final class BodyLimit {
    private BodyLimit() {}

    public static void install(Router router, long maxBodyBytes) {
        router.route().order(-1).handler(ctx -> {
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && tooLarge(declared, maxBodyBytes)) {
                ctx.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(io.vertx.core.buffer.Buffer.buffer(ErrorBodies.of(ErrorBodies.protocolOfPath(ctx.request().path()),
                                GatewayError.tooLarge(maxBodyBytes))));
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLarge(String declared, long max) {
        try {
            return Long.parseLong(declared.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
