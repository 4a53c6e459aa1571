package io.canaryllm.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.TestGateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The admin API and a key's calls, for limit tests against a gateway at a base URL. */
final class Admin {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Admin() {}

    static HttpResponse<String> send(String baseUrl, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /admin/keys} with {@code fields} (JSON members beside the name) → the created key {id, key, …}. */
    static JsonNode newKey(String baseUrl, String fields) throws Exception {
        HttpResponse<String> r = send(baseUrl, "POST", "/admin/keys", "{\"name\":\"limits\"" + (fields.isEmpty() ? "" : "," + fields) + "}");
        if (r.statusCode() != 201) throw new AssertionError("POST /admin/keys: " + r.statusCode() + " " + r.body());
        return TestGateway.json(r.body());
    }

    static HttpResponse<String> call(String baseUrl, String path, String secret, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + secret)
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String baseUrl, String path, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + secret).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /admin/usage?key_id=}, polled until it holds at least {@code n} rows (the ledger writes in batches). */
    static JsonNode awaitRows(String baseUrl, String keyId, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = TestGateway.json(send(baseUrl, "GET", "/admin/usage?key_id=" + keyId, null).body());
            if (last.path("data").size() >= n) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + n + " ledger rows for " + keyId + ", got " + last);
    }

    /**
     * Rates count in UTC minutes: a test that needs its calls in one minute starts them early in one (waiting at
     * most 12 s), so that they end before it does.
     */
    static void awaitEarlyInAMinute() throws InterruptedException {
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 48) Thread.sleep((61 - second) * 1000);
    }
}
