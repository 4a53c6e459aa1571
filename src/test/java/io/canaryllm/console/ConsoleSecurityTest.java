package io.canaryllm.console;

import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's sign-in and session over plain HTTP, as an attacker's client would send it: what is refused without
 * a session, with a wrong key, without or with a wrong CSRF token, from another origin, and after sign-out; the
 * cookie's flags and the console's response headers.
 */
class ConsoleSecurityTest {
    private final TestGateway gw = TestGateway.get();

    /** A signed-in console session: its cookie ("canary_console=…") and CSRF token. */
    record Session(String cookie, String csrf, String setCookie) {}

    static Session signIn(TestGateway gw, String... headers) throws Exception {
        HttpResponse<String> r = gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}", headers);
        assertEquals(200, r.statusCode(), r.body());
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), TestGateway.json(r.body()).path("csrf").asText(), setCookie);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutASessionTheAdminApiAndTheSessionAre401() throws Exception {
        assertEquals(401, gw.get("/admin/keys").statusCode());
        assertEquals(401, gw.get("/admin/deployments").statusCode());
        assertEquals(401, gw.get("/console/session").statusCode());
        assertEquals(401, gw.get("/admin/keys", "Cookie", "canary_console=made-up-session", "X-CSRF-Token", "x").statusCode());
        // the page itself is public: it only shows the sign-in form until the session answers
        assertEquals(200, gw.get("/console").statusCode());
    }

    @Test
    void aWrongKeySignsNobodyIn() throws Exception {
        HttpResponse<String> r = gw.post("/console/login", "{\"key\":\"not-the-master-key\"}");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty(), "no cookie for a wrong key");
        assertEquals(401, gw.post("/console/login", "{\"key\":\"" + gw.apiKey + "\"}").statusCode(), "an API key is not the master key");
        assertEquals(400, gw.post("/console/login", "not json").statusCode());
    }

    @Test
    void theCookieIsHttpOnlySameSiteStrictAndSecureOnlyOverHttps() throws Exception {
        Session plain = signIn(gw);
        assertTrue(plain.cookie().matches("canary_console=[A-Za-z0-9_-]{43}"), plain.setCookie());
        for (String flag : new String[] {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=28800"}) {
            assertTrue(plain.setCookie().contains(flag), "missing " + flag + " in " + plain.setCookie());
        }
        assertFalse(plain.setCookie().contains("Secure"), "plain http: a Secure cookie would never come back");
        Session behindTls = signIn(gw, "X-Forwarded-Proto", "https");
        assertTrue(behindTls.setCookie().endsWith("; Secure"), behindTls.setCookie());
        assertFalse(plain.cookie().equals(behindTls.cookie()), "every sign-in is a new session");
    }

    @Test
    void theSessionWorksOnTheAdminApiOnlyWithItsCsrfToken() throws Exception {
        Session s = signIn(gw);
        HttpResponse<String> ok = gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"name\":\"tests\""));
        assertEquals("no-store", ok.headers().firstValue("cache-control").orElse(""), "admin JSON is never cached");

        HttpResponse<String> missing = gw.get("/admin/keys", "Cookie", s.cookie());
        assertEquals(403, missing.statusCode());
        assertTrue(missing.body().contains("CSRF"), missing.body());
        assertEquals(403, gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf() + "x").statusCode());
        Session other = signIn(gw);
        assertEquals(403, gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", other.csrf()).statusCode(),
                "another session's token does not fit");
        // a state-changing call: no key is created without the token
        HttpResponse<String> create = send("POST", "/admin/keys", "{\"name\":\"csrf-victim\"}", "Cookie", s.cookie());
        assertEquals(403, create.statusCode());
        assertFalse(gw.get("/admin/keys", "Authorization", "Bearer " + TestGateway.MASTER_KEY).body().contains("csrf-victim"));
    }

    @Test
    void behindAProxyThatRewritesHostTheForwardedHostIsTheConsolesOrigin() throws Exception {
        // nginx's default proxy_pass sends Host: the gateway's own address; the browser's origin is the public name
        HttpResponse<String> viaProxy = gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
                "Origin", "https://llm.example.com", "X-Forwarded-Host", "llm.example.com", "X-Forwarded-Proto", "https");
        assertEquals(200, viaProxy.statusCode(), viaProxy.body());
        assertEquals(403, gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
                "Origin", "https://evil.example", "X-Forwarded-Host", "llm.example.com").statusCode(),
                "another origin stays refused behind the proxy");
        assertEquals(403, gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
                "Origin", "https://llm.example.com").statusCode(), "without the proxy's header the public name is another origin");
    }

    @Test
    void requestsFromAnotherSiteAreRefusedEvenWithTheToken() throws Exception {
        Session s = signIn(gw);
        assertEquals(403, send("POST", "/admin/keys", "{\"name\":\"cross-site\"}", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf(),
                "Origin", "https://evil.example").statusCode());
        assertEquals(403, gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf(), "Sec-Fetch-Site", "cross-site").statusCode());
        assertEquals(403, gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf(), "Sec-Fetch-Site", "same-site").statusCode(),
                "a sibling subdomain is another site for the console");
        assertEquals(403, gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}", "Origin", "https://evil.example").statusCode(),
                "no sign-in from another origin (login CSRF)");
        assertEquals(403, gw.get("/console/session", "Cookie", s.cookie(), "Sec-Fetch-Site", "cross-site").statusCode(),
                "another site cannot learn the token");
        String self = gw.baseUrl;
        HttpResponse<String> sameOrigin = send("POST", "/admin/keys", "{\"name\":\"same-origin\"}", "Cookie", s.cookie(),
                "X-CSRF-Token", s.csrf(), "Origin", self, "Sec-Fetch-Site", "same-origin");
        assertEquals(201, sameOrigin.statusCode(), sameOrigin.body());
    }

    @Test
    void theCookieIsNoCredentialForTheModelEndpoints() throws Exception {
        Session s = signIn(gw);
        HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Cookie", s.cookie(), "X-CSRF-Token", s.csrf());
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(401, gw.get("/v1/models", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf()).statusCode());
    }

    @Test
    void signingInAgainEndsTheBrowsersPreviousSession() throws Exception {
        Session first = signIn(gw);
        Session second = signIn(gw, "Cookie", first.cookie());
        assertEquals(401, gw.get("/admin/keys", "Cookie", first.cookie(), "X-CSRF-Token", first.csrf()).statusCode());
        assertEquals(200, gw.get("/admin/keys", "Cookie", second.cookie(), "X-CSRF-Token", second.csrf()).statusCode());
    }

    @Test
    void signingOutEndsTheSessionForGood() throws Exception {
        Session s = signIn(gw);
        assertEquals(403, send("POST", "/console/logout", null, "Cookie", s.cookie()).statusCode(), "sign-out needs the token too");
        HttpResponse<String> out = send("POST", "/console/logout", null, "Cookie", s.cookie(), "X-CSRF-Token", s.csrf());
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("set-cookie").orElse("").contains("Max-Age=0"), "the browser drops the cookie");
        assertEquals(401, gw.get("/admin/keys", "Cookie", s.cookie(), "X-CSRF-Token", s.csrf()).statusCode());
        assertEquals(401, gw.get("/console/session", "Cookie", s.cookie()).statusCode());
    }

    @Test
    void consolePagesCarryAStrictPolicyAndServeOnlyTheirOwnFiles() throws Exception {
        HttpResponse<String> page = gw.get("/console");
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("DENY", page.headers().firstValue("x-frame-options").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-store", page.headers().firstValue("cache-control").orElse(""));
        assertFalse(page.body().contains("<script>"), "no inline script: the policy would block it");
        assertEquals(200, gw.get("/console/static/console.js").statusCode());
        assertEquals(404, gw.get("/console/static/nope.js").statusCode());
        assertEquals(404, gw.get("/console/static/..%2F..%2Fconfig%2Fcatalogue.yaml").statusCode());
        assertEquals(404, gw.get("/console/static/Gateway.class").statusCode());
    }
}
