package io.canaryllm.console;

import io.canaryllm.http.Authenticate;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.auth.MasterKey;
import io.canaryllm.call.CallContext;
import io.canaryllm.call.ResponseBody;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
    private final MasterKey master;
    private final MasterKeyGuessLimiter limiter;
    /**
     * Wrong master keys on the admin API, counted apart from the sign-ins: a lock-out at the console does not shut
     * out the automation that calls {@code /admin/*} with the master key, and the reverse.
     */
    private final MasterKeyGuessLimiter adminLimiter;

    public ConsoleDoor(ConsoleSessions sessions, MasterKey master) {
        this(sessions, master, newLimiter(), newLimiter());
    }

    ConsoleDoor(ConsoleSessions sessions, MasterKey master, MasterKeyGuessLimiter limiter, MasterKeyGuessLimiter adminLimiter) {
        this.sessions = sessions;
        this.master = master;
        this.limiter = limiter;
        this.adminLimiter = adminLimiter;
    }

    private static MasterKeyGuessLimiter newLimiter() {
        return new MasterKeyGuessLimiter(java.time.Clock.systemUTC(), 10, java.time.Duration.ofMinutes(1));
    }

    /** {@code POST /console/login} {"key": master key} → 200 {"csrf", "expires_at"} and the session cookie. */
    public Processor signIn() {
        return exchange -> {
            CallContext.open(exchange, ClientProtocol.GATEWAY, "console");
            Message in = exchange.getMessage();
            sameOrigin(in);
            String address = remoteAddress(in);
            GatewayError locked = lockedOut(limiter, address);
            if (locked != null) throw locked;
            JsonNode body = in.getBody(JsonNode.class);
            String key = body == null ? null : body.path("key").asText(null);
            if (!master.matches(key)) {
                limiter.failed(address);
                throw GatewayError.unauthorized("That is not the master key (CANARYLLM_MASTER_KEY).");
            }
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
     * console cookie goes to {@code masterKey}; one that carries the cookie must pass the session's checks.
     */
    public Processor adminOr(Processor masterKey) {
        return exchange -> {
            Message in = exchange.getMessage();
            boolean presentsKey = Authenticate.requestHeader(in, "Authorization") != null || Authenticate.requestHeader(in, "x-api-key") != null;
            if (presentsKey || cookie(in) == null) {
                // a key presented here is a master-key guess as at the sign-in, with an allowance of its own
                String address = remoteAddress(in);
                GatewayError locked = presentsKey ? lockedOut(adminLimiter, address) : null;
                if (locked != null) {
                    CallContext.open(exchange, ClientProtocol.GATEWAY, "admin"); // the 429 answers before masterKey opens it
                    throw locked;
                }
                try {
                    masterKey.process(exchange);
                } catch (GatewayError refused) {
                    if (presentsKey && refused.status() == 401) adminLimiter.failed(address);
                    throw refused;
                }
                return;
            }
            CallContext.open(exchange, ClientProtocol.GATEWAY, "admin");
            checked(in);
        };
    }

    /** The 429 for {@code address} while it has used up its wrong master keys of {@code limiter}; null when it may try. */
    private static GatewayError lockedOut(MasterKeyGuessLimiter limiter, String address) {
        long wait = limiter.waitSeconds(address);
        return wait <= 0 ? null : new GatewayError(429, "rate_limit_error", "too_many_sign_ins", null,
                "Too many wrong master keys from this address; try again in " + wait + " s.", Map.of("retry-after", Long.toString(wait)));
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

    private static String remoteAddress(Message in) {
        Object a = in.getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (a instanceof SocketAddress s) return Optional.ofNullable(s.hostAddress()).orElse(s.toString());
        return a == null ? "unknown" : a.toString();
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
