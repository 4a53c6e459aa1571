package io.canaryllm.console;

import io.vertx.ext.web.Router;

/**
 * Response headers for the console and the admin API, set at the HTTP server before any route so that errors carry
 * them too. Admin and console answers are never cached (keys, spend). Console pages may run only this origin's
 * script and style (no inline script: an injected {@code <script>} does not run), may not be framed (clickjacking),
 * and send no referrer.
 */
public final class ConsoleHeaders {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private ConsoleHeaders() {}

    public static void install(Router router) {
        router.route().order(-1).handler(ctx -> {
            String path = ctx.request().path();
            if (path.startsWith("/console") || path.startsWith("/admin")) {
                ctx.response().putHeader("Cache-Control", "no-store");
            }
            if (path.startsWith("/console")) {
                ctx.response().putHeader("Content-Security-Policy", POLICY)
                        .putHeader("X-Frame-Options", "DENY")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Referrer-Policy", "no-referrer");
            }
            ctx.next();
        });
    }
}
