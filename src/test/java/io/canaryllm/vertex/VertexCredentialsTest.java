package io.canaryllm.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fake Google token endpoint on loopback that checks the JWT with the test key's public half. */
class VertexCredentialsTest {
    private static KeyPair keys;

    private HttpServer server;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> assertions = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile int answerStatus = 200;
    private volatile long expiresIn = 3599;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private String tokenUri;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    @BeforeEach
    void startTokenEndpoint() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/token", exchange -> {
            int n = tokenRequests.incrementAndGet();
            try {
                Thread.sleep(100); // slow enough that concurrent callers all arrive while the first exchange runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> fields = new HashMap<>();
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            if (!"application/x-www-form-urlencoded".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) problems.add("content type");
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))) problems.add("grant_type " + fields.get("grant_type"));
            String jwt = fields.getOrDefault("assertion", "");
            assertions.add(jwt);
            if (!verify(jwt)) problems.add("bad signature");
            byte[] body = answerStatus == 200
                    ? ("{\"access_token\":\"ya29.token-" + n + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answerStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        tokenUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static boolean verify(String jwt) {
        try {
            String[] p = jwt.split("\\.");
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(keys.getPublic());
            rsa.update((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(p[2]));
        } catch (Exception e) {
            return false;
        }
    }

    private String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        var account = Json.MAPPER.createObjectNode().put("type", "service_account").put("project_id", "proj-1")
                .put("private_key_id", "kid-1").put("private_key", pem)
                .put("client_email", "gateway@proj-1.iam.gserviceaccount.com").put("token_uri", tokenUri);
        return account.toString(); // the PEM's newlines become \n escapes, as in Google's key files
    }

    private VertexCredentials credentials() {
        return VertexCredentials.fromJson(serviceAccountJson(), HttpClient.newHttpClient(), clock);
    }

    private static JsonNode segment(String jwt, int i) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    @Test
    void shouldSignAJwtTheTokenEndpointAccepts() throws Exception {
        VertexCredentials c = credentials();
        assertEquals("ya29.token-1", c.accessToken());
        assertEquals(List.of(), problems);
        String jwt = assertions.getFirst();
        assertTrue(verify(jwt), "signed with the account's key (SHA256withRSA)");
        JsonNode header = segment(jwt, 0);
        assertEquals("RS256", header.path("alg").asText());
        assertEquals("JWT", header.path("typ").asText());
        assertEquals("kid-1", header.path("kid").asText());
        JsonNode claims = segment(jwt, 1);
        assertEquals("gateway@proj-1.iam.gserviceaccount.com", claims.path("iss").asText());
        assertEquals("https://www.googleapis.com/auth/cloud-platform", claims.path("scope").asText());
        assertEquals(tokenUri, claims.path("aud").asText());
        assertEquals(clock.instant().getEpochSecond(), claims.path("iat").asLong());
        assertEquals(clock.instant().getEpochSecond() + 3600, claims.path("exp").asLong());
        assertEquals("proj-1", c.projectId());
        assertEquals("gateway@proj-1.iam.gserviceaccount.com", c.clientEmail());
    }

    @Test
    void shouldAskForOneTokenUnderConcurrentLoad() throws Exception {
        VertexCredentials c = credentials();
        int callers = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return c.accessToken();
                }));
            }
            go.countDown();
            for (Future<String> f : results) assertEquals("ya29.token-1", f.get());
        }
        assertEquals(1, tokenRequests.get());
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldCacheUntilShortlyBeforeExpiryThenRefreshOnce() throws Exception {
        VertexCredentials c = credentials();
        assertEquals("ya29.token-1", c.accessToken());
        clock.advance(Duration.ofMinutes(54)); // 59:59 lifetime, refreshed 5 minutes early
        assertEquals("ya29.token-1", c.accessToken());
        assertEquals(1, tokenRequests.get());
        clock.advance(Duration.ofMinutes(1));
        AtomicReference<String> other = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> other.set(c.accessToken()));
        String mine = c.accessToken();
        t.join();
        assertEquals("ya29.token-2", mine);
        assertEquals("ya29.token-2", other.get());
        assertEquals(2, tokenRequests.get(), "one refresh per expiry window");
    }

    @Test
    void shouldReportARefusalWithTheEndpointsStatusAndRetryNextTime() {
        answerStatus = 400;
        VertexCredentials c = credentials();
        VertexAuthException e = assertThrows(VertexAuthException.class, c::accessToken);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("Invalid JWT Signature"), e.getMessage());
        answerStatus = 200;
        assertEquals("ya29.token-2", c.accessToken(), "a failure is not cached");
    }

    @Test
    void shouldLoadFromAFilePathOrInlineJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sa.json");
        Files.writeString(file, serviceAccountJson());
        assertEquals("proj-1", VertexCredentials.load(file.toString()).projectId());
        assertEquals("proj-1", VertexCredentials.load("  " + serviceAccountJson()).projectId());
        assertThrows(IllegalArgumentException.class, () -> VertexCredentials.load(dir.resolve("missing.json").toString()));
        assertThrows(IllegalArgumentException.class, () -> VertexCredentials.load("{\"type\":\"service_account\",\"client_email\":\"a\",\"private_key\":\"nope\"}"));
        assertThrows(IllegalArgumentException.class, () -> VertexCredentials.load("{\"type\":\"authorized_user\"}"));
    }

    @Test
    void shouldRefreshAShortLivedTokenAtHalfItsLife() {
        expiresIn = 120;
        VertexCredentials c = credentials();
        c.accessToken();
        clock.advance(Duration.ofSeconds(59));
        c.accessToken();
        assertEquals(1, tokenRequests.get());
        clock.advance(Duration.ofSeconds(1));
        c.accessToken();
        assertEquals(2, tokenRequests.get());
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) { this.now = start; }

        void advance(Duration d) { now = now.plus(d); }

        @Override public Instant instant() { return now; }

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }
}
