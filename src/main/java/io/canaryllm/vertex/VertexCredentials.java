package io.canaryllm.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Google service account turned into OAuth access tokens for Vertex AI (protocols.md 4.1, 7): an RS256-signed JWT
 * ({@code iss} = client_email, {@code scope} cloud-platform, {@code aud} = token_uri, one hour) exchanged at the
 * account's {@code token_uri} for a bearer token. The token is cached until {@link #REFRESH_MARGIN} before it expires;
 * the exchange is single-flight, so any number of concurrent callers cause one token request per expiry window.
 * Thread-safe; one instance per credentials file.
 */
public final class VertexCredentials {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final Duration JWT_LIFETIME = Duration.ofHours(1);
    /** Refresh this long before the token expires, so a request never starts with a token about to lapse. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private record Token(String value, Instant refreshAt) {}

    private final String clientEmail;
    private final String projectId;
    private final URI tokenUri;
    private final PrivateKey privateKey;
    private final String privateKeyId;
    private final HttpClient http;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Token token;

    VertexCredentials(JsonNode account, HttpClient http, Clock clock) {
        if (!"service_account".equals(account.path("type").asText("service_account"))) {
            throw new IllegalArgumentException("Vertex credentials must be a service-account key (type \"service_account\").");
        }
        this.clientEmail = required(account, "client_email");
        this.tokenUri = URI.create(account.path("token_uri").asText("https://oauth2.googleapis.com/token"));
        this.projectId = account.path("project_id").asText(null);
        this.privateKeyId = account.path("private_key_id").asText(null);
        this.privateKey = pkcs8(required(account, "private_key"));
        this.http = http;
        this.clock = clock;
    }

    /**
     * @param pathOrJson a service-account JSON file path ({@code CANARYLLM_VERTEX_CREDENTIALS}), or the JSON itself
     * @throws IllegalArgumentException when the file cannot be read or is not a usable service-account key
     */
    public static VertexCredentials load(String pathOrJson) {
        if (pathOrJson == null || pathOrJson.isBlank()) throw new IllegalArgumentException("No Vertex credentials given.");
        String json = pathOrJson.strip();
        if (!json.startsWith("{")) {
            try {
                json = Files.readString(Path.of(json), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read Vertex credentials file '" + pathOrJson + "': " + e.getMessage(), e);
            }
        }
        return fromJson(json, HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), Clock.systemUTC());
    }

    /** For tests and callers that own the client and clock. */
    public static VertexCredentials fromJson(String json, HttpClient http, Clock clock) {
        try {
            return new VertexCredentials(Json.MAPPER.readTree(json), http, clock);
        } catch (IOException e) {
            throw new IllegalArgumentException("Vertex credentials are not valid JSON.", e);
        }
    }

    public String clientEmail() { return clientEmail; }

    /** The service account's project, or null: the default for the Vertex project when configuration names none. */
    public String projectId() { return projectId; }

    /**
     * A valid access token, from the cache or a fresh exchange. Concurrent callers that find no valid token wait for
     * the one exchange in flight instead of starting their own.
     *
     * @throws VertexAuthException when the token endpoint fails or refuses
     */
    public String accessToken() {
        Token t = token;
        if (t != null && clock.instant().isBefore(t.refreshAt())) return t.value();
        refreshing.lock();
        try {
            t = token; // another caller may have refreshed while this one waited
            if (t != null && clock.instant().isBefore(t.refreshAt())) return t.value();
            token = exchange();
            return token.value();
        } finally {
            refreshing.unlock();
        }
    }

    /** The signed assertion: {@code base64url(header).base64url(claims).base64url(RS256 signature)}. */
    String signedJwt(Instant now) {
        ObjectNode header = Json.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (privateKeyId != null) header.put("kid", privateKeyId);
        ObjectNode claims = Json.MAPPER.createObjectNode()
                .put("iss", clientEmail)
                .put("scope", SCOPE)
                .put("aud", tokenUri.toString())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(JWT_LIFETIME).getEpochSecond());
        String signingInput = base64Url(Json.bytes(header)) + "." + base64Url(Json.bytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign the Vertex JWT", e);
        }
    }

    private Token exchange() {
        Instant now = clock.instant();
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(signedJwt(now), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new VertexAuthException(502, "Cannot reach the Google token endpoint: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VertexAuthException(502, "Interrupted while fetching a Google access token.");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            body = Json.MAPPER.createObjectNode();
        }
        if (response.statusCode() != 200 || !body.path("access_token").isTextual()) {
            // the OAuth error body ({"error","error_description"}) names the problem and holds no secret
            String why = body.path("error_description").asText(body.path("error").asText("no access_token in the answer"));
            throw new VertexAuthException(response.statusCode() == 200 ? 502 : response.statusCode(),
                    "Google refused the service-account token (" + response.statusCode() + "): " + why);
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        // a short-lived token is refreshed at half its life rather than never being cached
        Duration margin = Duration.ofSeconds(Math.min(REFRESH_MARGIN.toSeconds(), expiresIn / 2));
        return new Token(body.get("access_token").asText(), now.plusSeconds(expiresIn).minus(margin));
    }

    static PrivateKey pkcs8(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("The service account's private_key is not a PKCS#8 RSA key.", e);
        }
    }

    private static String required(JsonNode account, String field) {
        String v = account.path(field).asText("");
        if (v.isEmpty()) throw new IllegalArgumentException("Vertex credentials lack '" + field + "'.");
        return v;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
