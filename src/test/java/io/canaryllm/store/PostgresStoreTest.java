package io.canaryllm.store;

import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.Services;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same Flyway migrations on the machine's PostgreSQL (127.0.0.1:5432, database test; .ci/run starts it): keys
 * made, used and revoked through a gateway whose store is PostgreSQL. Skipped (not passed) without PostgreSQL.
 */
class PostgresStoreTest {
    @Test
    void keysLiveInPostgres() throws Exception {
        Services.assumePostgres();
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(), Services.POSTGRES).awaitReady()) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            String key = gw.newKey();
            var answer = gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"from postgres\"}]}",
                    "Authorization", "Bearer " + key);
            assertEquals(200, answer.statusCode(), answer.body());
            var keys = TestGateway.json(http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/admin/keys"))
                    .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
            String id = null;
            for (var k : keys.path("data")) if (key.startsWith(k.path("prefix").asText()) && k.path("active").asBoolean()) id = k.path("id").asText();
            var revoke = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/admin/keys/" + id))
                    .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, revoke.statusCode(), revoke.body());
            assertEquals(401, gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "Authorization", "Bearer " + key).statusCode());
        }
    }
}
