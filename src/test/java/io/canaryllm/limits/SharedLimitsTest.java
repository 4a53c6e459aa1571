package io.canaryllm.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.RawClient;
import io.canaryllm.testing.Services;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway processes sharing the machine's PostgreSQL (keys, ledger) and Redis (counters) enforce one
 * requests-per-minute limit and one budget together, see each other's key changes within a second, and leave a
 * ledger row with the tokens seen so far for a stream its client abandoned. Skipped (not passed) when PostgreSQL
 * or Redis does not answer on 127.0.0.1 (.ci/run starts both).
 */
class SharedLimitsTest {
    private static final String REDIS_URL = Services.REDIS_URL;
    private static final Map<String, String> SHARED = Map.of(
            "CANARYLLM_DB_URL", Services.POSTGRES_JDBC_URL, "CANARYLLM_DB_USER", "postgres", "CANARYLLM_REDIS_URL", REDIS_URL);
    private static final String ECHO = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"shared\"}]}";
    private static final String GPT = "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static GatewayProcess a;
    private static GatewayProcess b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        if (Services.missing(5432, "PostgreSQL").isPresent() || Services.missing(6379, "Redis").isPresent()) return;
        a = GatewayProcess.start(TestGateway.get().fake, Map.of(), SHARED);
        b = GatewayProcess.start(TestGateway.get().fake, Map.of(), SHARED);
        a.awaitReady();
        b.awaitReady();
    }

    @BeforeEach
    void bothServices() {
        Services.assumePostgres();
        Services.assumeRedis();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void twoReplicasEnforceOneRequestsPerMinuteLimit() throws Exception {
        String key = Admin.newKey(a.baseUrl, "\"rpm\": 4").path("key").asText();
        Admin.awaitEarlyInAMinute();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            GatewayProcess replica = i % 2 == 0 ? a : b;
            statuses.add(Admin.call(replica.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        }
        assertEquals(List.of(200, 200, 200, 200, 429, 429), statuses, "4 calls a minute between both replicas");
    }

    @Test
    void twoReplicasSpendOneBudget() throws Exception {
        // each call bills $0.0000525 (gpt-4.1, 9 + 3 tokens, +25%); two fit in $0.0001
        JsonNode created = Admin.newKey(a.baseUrl, "\"budget\": {\"amount\": \"0.0001\", \"period\": \"daily\"}");
        String key = created.path("key").asText();
        TestGateway.get().fake.reset();
        TestGateway.get().fake.enqueue("openai", completion("gpt-4.1", "one"), completion("gpt-4.1", "two"), completion("gpt-4.1", "three"));
        assertEquals(200, Admin.call(a.baseUrl, "/v1/chat/completions", key, GPT).statusCode());
        assertEquals(200, Admin.call(b.baseUrl, "/v1/chat/completions", key, GPT).statusCode());
        HttpResponse<String> onA = Admin.call(a.baseUrl, "/v1/chat/completions", key, GPT);
        HttpResponse<String> onB = Admin.call(b.baseUrl, "/v1/chat/completions", key, GPT);
        assertEquals(429, onA.statusCode(), onA.body());
        assertEquals(429, onB.statusCode(), onB.body());
        assertEquals("insufficient_quota", TestGateway.json(onB.body()).path("error").path("code").asText());
        assertEquals(2, TestGateway.get().fake.received("openai").size());
        // the spend both replicas count against is one Redis counter, in 10^-12 dollars
        try (RedisClient redis = RedisClient.create(URI.create(REDIS_URL))) {
            String counter = "canaryllm:spend:" + created.path("id").asText() + ":d" + LocalDate.now(ZoneOffset.UTC);
            assertEquals(new BigDecimal("0.000105").movePointRight(12).toBigIntegerExact().toString(), redis.get(counter));
        }
        JsonNode usage = TestGateway.json(Admin.get(b.baseUrl, "/v1/usage", key).body());
        assertEquals("0.000105", usage.path("budget").path("spent").asText(), usage.toString());
    }

    @Test
    void aLimitChangedOnOneReplicaAppliesOnTheOtherWithinOneSecond() throws Exception {
        JsonNode created = Admin.newKey(a.baseUrl, "\"rpm\": 1");
        String key = created.path("key").asText();
        Admin.awaitEarlyInAMinute();
        assertEquals(200, Admin.call(b.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        assertEquals(429, Admin.call(b.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        assertEquals(200, Admin.send(a.baseUrl, "PATCH", "/admin/keys/" + created.path("id").asText(), "{\"rpm\": 10}").statusCode());
        Thread.sleep(1_100);
        assertEquals(200, Admin.call(b.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        assertEquals(200, Admin.send(a.baseUrl, "DELETE", "/admin/keys/" + created.path("id").asText(), null).statusCode());
        Thread.sleep(1_100);
        assertEquals(401, Admin.call(b.baseUrl, "/v1/chat/completions", key, ECHO).statusCode(), "revoked on A, refused on B");
    }

    @Test
    void aStreamAbandonedMidwayLeavesARowWithTheTokensSeenSoFarInPostgres() throws Exception {
        JsonNode created = Admin.newKey(a.baseUrl, "");
        TestGateway.get().fake.reset();
        TestGateway.get().fake.enqueue("anthropic", FakeUpstream.tickingAnthropicStream(31));
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // the client goes away mid-stream, after a few events
        RawClient.postThenLeave(b.baseUrl, "/v1/messages", body, "tick2", "x-api-key", created.path("key").asText(),
                "anthropic-version", "2023-06-01");
        JsonNode rows = Admin.awaitRows(a.baseUrl, created.path("id").asText(), 1);
        JsonNode row = rows.path("data").get(0);
        assertEquals(499, row.path("status").asInt(), row.toString());
        assertEquals(31, row.path("input_tokens").asLong(), row.toString());
        assertTrue(row.path("output_tokens").asLong() >= 1, row.toString());
        assertTrue(new BigDecimal(row.path("cost").asText()).signum() > 0, row.toString());
    }
}
