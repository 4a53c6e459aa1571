package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.Services;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same ledger on the machine's PostgreSQL (127.0.0.1:5432, database test; .ci/run starts it): rows for plain,
 * streamed and failed calls, their totals and summaries, and the drain at shutdown. Skipped (not passed) when no
 * PostgreSQL answers there.
 */
class PostgresUsageLedgerTest {
    private static final Map<String, String> POSTGRES = Services.POSTGRES;

    @BeforeEach
    void postgresUp() { Services.assumePostgres(); }

    @Test
    void rowsTotalsAndSummariesInPostgres() throws Exception {
        String keyId;
        String secret;
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(), POSTGRES).awaitReady()) {
            JsonNode key = Ledger.newKey(gw.baseUrl, "pg-ledger");
            keyId = key.path("id").asText();
            secret = key.path("key").asText();
            String echo = "\"messages\":[{\"role\":\"user\",\"content\":\"from postgres\"}]";
            assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\"," + echo + "}", "Authorization", "Bearer " + secret).statusCode());
            assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + echo + "}", "Authorization", "Bearer " + secret).statusCode());
            assertEquals(404, gw.post("/v1/chat/completions", "{\"model\":\"mock/nope-at-all\"," + echo + "}", "Authorization", "Bearer " + secret).statusCode());
            JsonNode ledger = Ledger.awaitRows(gw.baseUrl, "key_id=" + keyId, 3);
            assertEquals(3, ledger.path("totals").path("requests").asLong());
            int streamed = 0;
            for (JsonNode row : ledger.path("data")) {
                assertEquals(keyId, row.path("key_id").asText());
                assertTrue(row.path("created_at").asText().endsWith("Z"), row.toString());
                if (!row.path("time_to_first_token_ms").isNull()) streamed++;
            }
            assertEquals(1, streamed);
            JsonNode byDay = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=day&key_id=" + keyId).body());
            assertEquals(3, byDay.path("data").get(0).path("requests").asLong(), byDay.toString());
            JsonNode byModel = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=model&key_id=" + keyId).body());
            assertEquals(2, byModel.path("data").size(), byModel.toString());
            var own = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gw.baseUrl + "/v1/usage")).header("Authorization", "Bearer " + secret).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(3, TestGateway.json(own.body()).path("totals").path("requests").asLong(), own.body());

            // calls answered right before SIGTERM are written by the drain
            for (int i = 0; i < 20; i++) {
                assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\"," + echo + "}", "Authorization", "Bearer " + secret).statusCode());
            }
            gw.terminate();
            assertEquals(143, gw.awaitExit(40));
        }
        try (GatewayProcess again = GatewayProcess.start(TestGateway.get().fake, Map.of(), POSTGRES).awaitReady()) {
            JsonNode ledger = Ledger.awaitRows(again.baseUrl, "key_id=" + keyId, 23);
            assertEquals(23, ledger.path("totals").path("requests").asLong());
            assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(ledger.path("totals").path("cost").asText())),
                    "mock/echo is free: " + ledger.path("totals"));
        }
    }
}
