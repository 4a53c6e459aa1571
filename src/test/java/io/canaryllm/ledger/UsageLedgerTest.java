package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.Usage;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.CatalogueLoader;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static io.canaryllm.testing.FakeUpstream.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One usage row per model call, through the real routes: plain, streamed, failed and abandoned calls on the three
 * model endpoints, with tokens, list and billed cost, latency, time to first token, status and request id; and the
 * admin and per-key usage endpoints that read them back.
 */
class UsageLedgerTest {
    private static final Catalogue CATALOGUE = CatalogueLoader.load(Path.of("config/catalogue.yaml"));
    private final TestGateway gw = TestGateway.get();
    private String keyId;
    private String key;

    @BeforeEach
    void freshKey() throws Exception {
        gw.fake.reset();
        JsonNode created = Ledger.newKey(gw.baseUrl, "ledger");
        keyId = created.path("id").asText();
        key = created.path("key").asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return gw.post(path, body, "Authorization", "Bearer " + key);
    }

    private JsonNode rows(int n) throws Exception { return Ledger.awaitRows(gw.baseUrl, "key_id=" + keyId, n); }

    @Test
    void aPlainCallIsOneRowWithItsTokensCostsAndRequestId() throws Exception {
        gw.fake.enqueue("openai", completion("gpt-4.1", "hello"));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode ledger = rows(1);
        assertEquals(1, ledger.path("data").size());
        JsonNode row = ledger.path("data").get(0);
        assertEquals(keyId, row.path("key_id").asText());
        assertEquals("chat_completions", row.path("endpoint").asText());
        assertEquals("openai/gpt-4.1", row.path("model").asText());
        assertEquals("openai", row.path("provider").asText());
        assertEquals(9, row.path("input_tokens").asLong());
        assertEquals(3, row.path("output_tokens").asLong());
        assertEquals(200, row.path("status").asInt());
        assertTrue(row.path("time_to_first_token_ms").isNull(), "a plain answer has no first token time");
        assertTrue(row.path("latency_ms").asLong() >= 0);
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), row.path("request_id").asText());
        // exact money: list price for the provider, list price with the markup for the bill
        var model = CATALOGUE.resolve("openai/gpt-4.1").model();
        Usage usage = new Usage(9, 3, 0, 0, 0);
        BigDecimal list = model.price().orElseThrow().cost(usage);
        BigDecimal billed = CATALOGUE.billedPrices(model).orElseThrow().cost(usage);
        assertEquals(0, list.compareTo(new BigDecimal(row.path("provider_cost").asText())), row.toString());
        assertEquals(0, billed.compareTo(new BigDecimal(row.path("cost").asText())), row.toString());
        assertTrue(billed.compareTo(list) > 0);
        JsonNode totals = ledger.path("totals");
        assertEquals(1, totals.path("requests").asLong());
        assertEquals(9, totals.path("input_tokens").asLong());
        assertEquals(3, totals.path("output_tokens").asLong());
        assertEquals(0, billed.compareTo(new BigDecimal(totals.path("cost").asText())));
    }

    @Test
    void aStreamIsOneRowWithItsTimeToFirstToken() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"one\"}", null));
            a.data(chunk("gpt-4.1", "{\"content\":\" two\"}", "stop"));
            a.data(io.canaryllm.testing.FakeUpstream.usageChunk("gpt-4.1", 11, 2));
            a.data("[DONE]");
        });
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("[DONE]"));
        JsonNode row = rows(1).path("data").get(0);
        assertEquals(200, row.path("status").asInt());
        assertEquals(11, row.path("input_tokens").asLong());
        assertEquals(2, row.path("output_tokens").asLong());
        assertTrue(row.path("time_to_first_token_ms").isIntegralNumber(), row.toString());
        assertTrue(row.path("time_to_first_token_ms").asLong() <= row.path("latency_ms").asLong(), row.toString());
    }

    @Test
    void anUnknownModelIsARowWithItsStatusAndTheModelAskedFor() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"openai/no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(404, r.statusCode());
        JsonNode row = rows(1).path("data").get(0);
        assertEquals(404, row.path("status").asInt());
        assertEquals("openai/no-such-model", row.path("model").asText());
        assertEquals("none", row.path("provider").asText());
        assertEquals(0, row.path("input_tokens").asLong());
        assertTrue(row.path("cost").isNull(), "nothing priced, nothing billed");
    }

    @Test
    void anUpstreamErrorIsARow() throws Exception {
        gw.fake.enqueue("openai", a -> a.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(502, r.statusCode());
        JsonNode row = rows(1).path("data").get(0);
        assertEquals(502, row.path("status").asInt());
        assertEquals("openai/gpt-4.1", row.path("model").asText());
        assertEquals("0", row.path("cost").asText());
    }

    @Test
    void aClientThatLeavesMidStreamLeavesARowWithTheTokensSeenSoFar() throws Exception {
        gw.fake.enqueue("anthropic", io.canaryllm.testing.FakeUpstream.tickingAnthropicStream(25));
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // the client goes away mid-stream, after the first events
        io.canaryllm.testing.RawClient.postThenLeave(gw.baseUrl, "/v1/messages", body, "tick0", "x-api-key", key, "anthropic-version", "2023-06-01");
        JsonNode row = rows(1).path("data").get(0);
        assertEquals("messages", row.path("endpoint").asText());
        assertEquals(499, row.path("status").asInt(), row.toString());
        assertEquals(25, row.path("input_tokens").asLong(), "tokens seen before the client left: " + row);
        assertTrue(row.path("time_to_first_token_ms").isIntegralNumber());
        assertTrue(new BigDecimal(row.path("cost").asText()).signum() > 0, row.toString());
    }

    @Test
    void everyModelEndpointWritesRowsAndOnlyThose() throws Exception {
        String echo = "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]";
        assertEquals(200, post("/v1/chat/completions", "{\"model\":\"mock/echo\"," + echo + "}").statusCode());
        assertEquals(200, post("/v1/messages", "{\"model\":\"mock/echo\",\"max_tokens\":50," + echo + "}").statusCode());
        assertEquals(200, post("/v1/responses", "{\"model\":\"mock/echo\",\"input\":\"one two three\"}").statusCode());
        // not model calls: no rows
        assertEquals(200, post("/v1/messages/count_tokens", "{\"model\":\"mock/echo\"," + echo + "}").statusCode());
        assertEquals(200, gw.get("/v1/models", "Authorization", "Bearer " + key).statusCode());
        JsonNode ledger = rows(3);
        Thread.sleep(700); // one more batch interval: nothing else arrives
        ledger = rows(3);
        assertEquals(3, ledger.path("data").size(), ledger.toString());
        List<String> endpoints = new ArrayList<>();
        for (JsonNode row : ledger.path("data")) {
            endpoints.add(row.path("endpoint").asText());
            assertEquals("mock/echo", row.path("model").asText());
            assertTrue(row.path("output_tokens").asLong() > 0, row.toString());
        }
        assertTrue(endpoints.containsAll(List.of("chat_completions", "messages", "responses")), endpoints.toString());

        // the key's own view
        HttpResponse<String> own = gw.get("/v1/usage", "Authorization", "Bearer " + key);
        assertEquals(200, own.statusCode(), own.body());
        JsonNode mine = TestGateway.json(own.body());
        assertEquals(keyId, mine.path("key_id").asText());
        assertEquals(3, mine.path("totals").path("requests").asLong());
        assertEquals(3, mine.path("today").path("requests").asLong());
        assertEquals(ledger.path("totals").path("output_tokens").asLong(), mine.path("totals").path("output_tokens").asLong());
        assertEquals(401, gw.get("/v1/usage").statusCode());

        // summaries
        JsonNode byModel = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=model&key_id=" + keyId).body());
        assertEquals(1, byModel.path("data").size(), byModel.toString());
        assertEquals("mock/echo", byModel.path("data").get(0).path("model").asText());
        assertEquals(3, byModel.path("data").get(0).path("requests").asLong());
        JsonNode byKey = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=key&key_id=" + keyId).body());
        assertEquals(keyId, byKey.path("data").get(0).path("key_id").asText());
        JsonNode byDay = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=day&key_id=" + keyId).body());
        assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), byDay.path("data").get(0).path("day").asText());
    }

    @Test
    void filtersAndBadParameters() throws Exception {
        assertEquals(200, post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").statusCode());
        rows(1);
        assertEquals(0, TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage?key_id=" + keyId + "&model=openai/gpt-4.1").body())
                .path("data").size());
        assertEquals(0, TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage?key_id=" + keyId + "&from=2999-01-01").body())
                .path("totals").path("requests").asLong());
        assertEquals(1, TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage?key_id=" + keyId + "&from=2020-01-01T00:00:00Z&to=2999-01-01").body())
                .path("totals").path("requests").asLong());
        HttpResponse<String> bad = Ledger.admin(gw.baseUrl, "/admin/usage?from=yesterday");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("from"), bad.body());
        assertEquals(400, Ledger.admin(gw.baseUrl, "/admin/usage/summary?group_by=week").statusCode());
        assertEquals(401, gw.get("/admin/usage", "Authorization", "Bearer " + key).statusCode());
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("canaryllm_usage_rows_dropped_total 0.0"), "no row dropped");
        assertTrue(metrics.contains("canaryllm_usage_queue_depth"), "queue depth gauge");
        assertFalse(metrics.contains("canaryllm_usage_rows_buffered 1"), "nothing held for retry");
    }

    @Test
    void underSteadyLightTrafficRowsAreWrittenWithinABatchInterval() throws Exception {
        // one call every 150 ms never leaves the queue idle for 500 ms: an inactivity timeout would hold every row
        // until 100 had arrived; the batch clock writes them while the calls go on
        String echo = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"steady\"}]}";
        int written = 0;
        for (int i = 0; i < 20; i++) {
            assertEquals(200, post("/v1/chat/completions", echo).statusCode());
            Thread.sleep(150);
            if (i == 14) {
                written = TestGateway.json(Ledger.admin(gw.baseUrl, "/admin/usage?key_id=" + keyId).body()).path("data").size();
            }
        }
        assertTrue(written >= 8, "rows written while the 15 calls of the first ~2.5 s went on: " + written);
        assertEquals(20, rows(20).path("data").size());
    }
}
