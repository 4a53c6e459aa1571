package io.canaryllm.http;

import io.canaryllm.call.CallContext;

import io.canaryllm.call.ErrorBodies;
import io.canaryllm.core.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every request gets at the HTTP server, before any route: a request id ({@code x-request-id}, the caller's when
 * it sends a sane one, else a new one; returned on the answer and carried into the logs), and the body limit: a
 * declared {@code Content-Length} over it is refused with a 413 in the caller's error format before the body is
 * read. Chunked bodies over the limit are stopped by the server's own limit ({@code camel.server.maxBodySize}),
 * which answers a plain 413.
 */
public final class FrontDoor {
    public static final String REQUEST_ID = CallContext.REQUEST_ID_HEADER;
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private FrontDoor() {}

    public static void install(Router router, long maxBodyBytes) {
        router.route().order(-1).handler(ctx -> {
            String id = ctx.request().getHeader(REQUEST_ID);
            if (id == null || !SANE_ID.matcher(id).matches()) {
                id = UUID.randomUUID().toString();
                ctx.request().headers().set(REQUEST_ID, id);
            }
            ctx.response().putHeader(REQUEST_ID, id);
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && tooLarge(declared, maxBodyBytes)) {
                ctx.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(Buffer.buffer(ErrorBodies.of(ErrorBodies.protocolOfPath(ctx.request().path()),
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
