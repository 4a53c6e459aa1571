package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.TestGateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reading the usage ledger of a gateway at {@code baseUrl} over the admin API, waiting for asynchronous batches. */
final class Ledger {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Ledger() {}

    /** A new API key: {id, key}. */
    static JsonNode newKey(String baseUrl, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/keys"))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException(r.body());
        return TestGateway.json(r.body());
    }

    static HttpResponse<String> admin(String baseUrl, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /admin/usage?query}, polled until it holds at least {@code rows} rows (the ledger writes in batches). */
    static JsonNode awaitRows(String baseUrl, String query, int rows) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = admin(baseUrl, "/admin/usage?" + query);
            if (r.statusCode() != 200) throw new AssertionError("GET /admin/usage: " + r.statusCode() + " " + r.body());
            last = TestGateway.json(r.body());
            if (last.path("data").size() >= rows) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + rows + " ledger rows for " + query + ", got " + last);
    }
}
