package io.canaryllm.console;

import io.canaryllm.http.Authenticate;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.auth.GuardedMasterKey;
import io.canaryllm.auth.MasterKey;
import io.canaryllm.call.CallContext;
import io.canaryllm.call.ResponseBody;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's sign-in and what a signed-in browser may do. Signing in with the master key gives the browser an
 * HttpOnly, SameSite=Strict cookie naming a server-side session ({@link ConsoleSessions}) and, in the answer's body,
 * the session's CSRF token. The cookie is accepted in place of the master key on {@code /admin/*} only, and only
 * together with that token in {@code X-CSRF-Token} and from the console's own origin ({@code Origin} and
 * {@code Sec-Fetch-Site} when the browser sends them): a page on another site can neither read the token nor make
 * the browser send the cookie (SameSite), and a request that carries the cookie but fails a check is refused rather
 * than tried as a master-key call. The model endpoints ({@code /v1/*}) never look at the cookie.
 */
public final class ConsoleDoor {
    public static final String COOKIE = "canary_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private final ConsoleSessions sessions;
    /** The sign-in's own allowance of wrong master keys, apart from the admin API's ({@link Authenticate}). */
    private final GuardedMasterKey signInKey;

    public ConsoleDoor(ConsoleSessions sessions, MasterKey master) {
        this.sessions = sessions;
        this.signInKey = new GuardedMasterKey(master);
    }

    /** {@code POST /console/login} {"key": master key} → 200 {"csrf", "expires_at"} and the session cookie. */
    public Processor signIn() {
        return exchange -> {
            CallContext.open(exchange, ClientProtocol.GATEWAY, "console");
            Message in = exchange.getMessage();
            sameOrigin(in);
            JsonNode body = in.getBody(JsonNode.class);
            String key = body == null ? null : body.path("key").asText(null);
            signInKey.check(key, Authenticate.remoteAddress(in), "That is not the master key (CANARYLLM_MASTER_KEY).");
            // a browser signing in again drops the session it had: one live session per browser
            sessions.close(cookie(in));
            ConsoleSessions.Session s = sessions.open();
            boolean secure = overHttps(in);
            reply(exchange, 200, describe(s));
            exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                    + sessions.absolute().toSeconds() + (secure ? "; Secure" : ""));
        };
    }

    /** {@code GET /console/session}: the signed-in browser's CSRF token and expiry (the page asks after a reload). */
    public Processor current() {
        return exchange -> {
            CallContext.open(exchange, ClientProtocol.GATEWAY, "console");
            Message in = exchange.getMessage();
            sameOrigin(in);
            ConsoleSessions.Session s = sessions.use(cookie(in)).orElseThrow(ConsoleDoor::signedOut);
            reply(exchange, 200, describe(s));
        };
    }

    /** {@code POST /console/logout} (cookie and CSRF token): ends the session and clears the cookie. */
    public Processor signOut() {
        return exchange -> {
            CallContext.open(exchange, ClientProtocol.GATEWAY, "console");
            ConsoleSessions.Session s = checked(exchange.getMessage());
            sessions.close(s.id());
            reply(exchange, 200, Map.of("signed_out", true));
            exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        };
    }

    /**
     * The admin API's authentication: a request that carries a key ({@code Authorization}, {@code x-api-key}) or no
     * console cookie goes to {@code masterKey} (which limits the guesses); one that carries the cookie must pass the
     * session's checks.
     */
    public Processor adminOr(Processor masterKey) {
        return exchange -> {
            Message in = exchange.getMessage();
            if (Authenticate.presentsKey(in) || cookie(in) == null) {
                masterKey.process(exchange);
                return;
            }
            CallContext.open(exchange, ClientProtocol.GATEWAY, "admin");
            checked(in);
        };
    }

    /** The live session of a state-changing or admin request: cookie, same origin and the CSRF token. */
    private ConsoleSessions.Session checked(Message in) {
        sameOrigin(in);
        ConsoleSessions.Session s = sessions.find(cookie(in)).orElseThrow(ConsoleDoor::signedOut);
        String token = Authenticate.requestHeader(in, CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw forbidden("The console's CSRF token (X-CSRF-Token) is missing or wrong.");
        }
        // only a request that passed every check keeps the session alive
        return sessions.use(s.id()).orElseThrow(ConsoleDoor::signedOut);
    }

    /**
     * Refuses a request the browser says came from another site. Browsers send {@code Sec-Fetch-Site} on every
     * request and {@code Origin} on every POST and cross-origin fetch; a client that sends neither (curl) is not a
     * browser that could be tricked, and still needs the cookie and token.
     */
    static void sameOrigin(Message in) {
        String site = Authenticate.requestHeader(in, "Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw forbidden("The console refuses requests from other sites (Sec-Fetch-Site: " + site + ").");
        }
        String origin = Authenticate.requestHeader(in, "Origin");
        if (origin == null) return;
        String originHost = authority(origin);
        // the server's own view of the request's authority (platform-http builds the URL from the Host header)
        String host = authority(in.getHeader(Exchange.HTTP_URL, String.class));
        // behind a reverse proxy that rewrites Host (nginx's default), the host the browser asked for is the proxy's
        // X-Forwarded-Host. Trusting it cannot let another site in: a page cannot add that header to a cross-site
        // request without a CORS preflight, which the gateway never grants.
        String forwardedHost = firstValue(Authenticate.requestHeader(in, "X-Forwarded-Host"));
        boolean same = originHost != null && (originHost.equalsIgnoreCase(host) || originHost.equalsIgnoreCase(forwardedHost));
        if (!same) throw forbidden("The console refuses requests from another origin (" + origin + ").");
    }

    /** The first of a comma-separated header's values, trimmed; null for none. */
    private static String firstValue(String header) {
        if (header == null) return null;
        String first = header.split(",", 2)[0].trim();
        return first.isEmpty() ? null : first;
    }

    /** {@code host[:port]} of an absolute URL, null when it is none. */
    private static String authority(String url) {
        if (url == null) return null;
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) return null;
            return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The session id in the request's {@code Cookie} header, or null. */
    static String cookie(Message in) {
        String header = Authenticate.requestHeader(in, "Cookie");
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String v = p.substring(COOKIE.length() + 1);
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    private static boolean overHttps(Message in) {
        String forwarded = Authenticate.requestHeader(in, "X-Forwarded-Proto");
        if (forwarded != null) return forwarded.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https");
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        return url != null && url.startsWith("https:");
    }

    private Map<String, Object> describe(ConsoleSessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csrf", s.csrf());
        m.put("expires_at", sessions.expiresAt(s).toString());
        m.put("idle_seconds", sessions.idle().toSeconds());
        return m;
    }

    private static GatewayError signedOut() {
        return GatewayError.unauthorized("Not signed in to the console, or the session expired.");
    }

    private static GatewayError forbidden(String message) {
        return new GatewayError(403, "invalid_request_error", "console_forbidden", null, message, Map.of());
    }

    private static void reply(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(ResponseBody.of(Json.bytes(body)));
    }
}
