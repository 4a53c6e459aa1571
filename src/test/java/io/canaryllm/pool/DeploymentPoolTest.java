package io.canaryllm.pool;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deployments of one model (config/catalogue.yaml {@code deployments}), through a gateway process and fake upstreams:
 * shares by weight, a 429 storm moved to the other deployments, least in flight, lowest latency, several keys per
 * provider, a deployment's own breaker, aliases, and the deployment named in the ledger and the metrics.
 */
class DeploymentPoolTest {
    private static final FakeUpstream fake = TestGateway.get().fake;
    private static final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
    private static GatewayProcess gw;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        Path catalogue = Files.createTempFile("pool-catalogue", ".yaml");
        Files.writeString(catalogue, """
                markup: 0
                defaults:
                  timeouts: {connectMs: 2000, firstByteMs: 10000, idleMs: 10000, totalMs: 20000}
                  breaker: {slidingWindowSize: 10, minimumNumberOfCalls: 5, failureRateThreshold: 50, waitSeconds: 60}
                providers:
                  openai:
                    wire: openai-chat
                    baseUrl: %1$s/openai/v1
                    apiKeyEnv: [POOL_KEY_ONE, POOL_KEY_UNSET, POOL_KEY_TWO]
                  anthropic:
                    wire: anthropic
                    baseUrl: %1$s/anthropic
                    apiKeyEnv: POOL_ANTHROPIC_KEY
                aliases:
                  fast: openai/weighted
                models:
                  - id: openai/weighted
                    price: {input: 2, output: 8}
                    deployments:
                      - {name: east, provider: openai, baseUrl: "%1$s/east/v1", apiKeyEnv: POOL_KEY_ONE, weight: 5}
                      - {name: west, provider: openai, baseUrl: "%1$s/west/v1", apiKeyEnv: POOL_KEY_ONE, weight: 3}
                      - {provider: anthropic, upstream: claude-sonnet-4-5, weight: 2}
                  - id: openai/storm
                    deployments:
                      - {name: storm-a, provider: openai, baseUrl: "%1$s/storm-a/v1", apiKeyEnv: POOL_KEY_ONE}
                      - {name: storm-b, provider: openai, baseUrl: "%1$s/storm-b/v1", apiKeyEnv: POOL_KEY_ONE}
                      - {name: storm-c, provider: openai, baseUrl: "%1$s/storm-c/v1", apiKeyEnv: POOL_KEY_ONE}
                  - id: openai/busy
                    strategy: least-in-flight
                    deployments:
                      - {name: busy-slow, provider: openai, baseUrl: "%1$s/busy-slow/v1", apiKeyEnv: POOL_KEY_ONE}
                      - {name: busy-quick, provider: openai, baseUrl: "%1$s/busy-quick/v1", apiKeyEnv: POOL_KEY_ONE}
                  - id: openai/latency
                    strategy: lowest-latency
                    deployments:
                      - {name: lat-slow, provider: openai, baseUrl: "%1$s/lat-slow/v1", apiKeyEnv: POOL_KEY_ONE}
                      - {name: lat-quick, provider: openai, baseUrl: "%1$s/lat-quick/v1", apiKeyEnv: POOL_KEY_ONE}
                  - id: openai/broken
                    deployments:
                      - {name: broken-a, provider: openai, baseUrl: "%1$s/broken-a/v1", apiKeyEnv: POOL_KEY_ONE}
                      - {name: broken-b, provider: openai, baseUrl: "%1$s/broken-b/v1", apiKeyEnv: POOL_KEY_ONE}
                  - id: openai/gpt-4.1
                """.formatted(fake.origin("x").replaceAll("/x$", "")));
        gw = GatewayProcess.start(fake, Map.of(), Map.of(
                "CANARYLLM_CATALOGUE", catalogue.toString(),
                "POOL_KEY_ONE", "sk-pool-one", "POOL_KEY_TWO", "sk-pool-two", "POOL_ANTHROPIC_KEY", "sk-ant-pool",
                "CANARYLLM_RETRY_BASE_MS", "20", "CANARYLLM_COOLDOWN_SECONDS", "1")).awaitReady();
        key = gw.newKey();
    }

    @AfterAll
    static void stop() throws Exception { gw.close(); }

    @BeforeEach
    void reset() { fake.reset(); }

    private static HttpResponse<String> chat(String model, boolean stream) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code n} calls, {@code parallel} at a time; the statuses that were not 200, with their bodies. */
    private static List<String> calls(String model, int n, int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) all.add(pool.submit(() -> chat(model, false)));
            List<String> errors = new ArrayList<>();
            for (var f : all) {
                var r = f.get();
                if (r.statusCode() != 200) errors.add(r.statusCode() + " " + r.body());
            }
            return errors;
        } finally {
            pool.shutdownNow();
        }
    }

    private static FakeUpstream.Script ok(String text) { return FakeUpstream.completion("m", text); }

    @Test
    void weightsShareTheCallsWithinFivePercentOverTwoThousand() throws Exception {
        fake.always("east", ok("east"));
        fake.always("west", ok("west"));
        fake.always("anthropic", FakeUpstream.anthropicMessage("claude"));
        List<String> errors = calls("openai/weighted", 2000, 8);
        assertEquals(List.of(), errors);
        int east = fake.received("east").size(), west = fake.received("west").size(), claude = fake.received("anthropic").size();
        assertEquals(2000, east + west + claude);
        System.out.printf("weighted 5:3:2 over 2,000 calls: east %d, west %d, anthropic %d%n", east, west, claude);
        // 5 : 3 : 2 of 2,000 = 1000, 600, 400
        assertWithin(1000, east, "east");
        assertWithin(600, west, "west");
        assertWithin(400, claude, "anthropic (another wire: the call is translated for it)");
        assertEquals("claude-sonnet-4-5", fake.received("anthropic").get(0).json().path("model").asText());
        assertEquals("sk-ant-pool", fake.received("anthropic").get(0).headers().get("x-api-key"));
    }

    private static void assertWithin(int expected, int actual, String what) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.05, what + ": " + actual + " calls, expected " + expected + " ± 5%");
    }

    @Test
    void a429StormOnOneDeploymentMovesItsCallsToTheOthersWithNoClientError() throws Exception {
        AtomicInteger storm = new AtomicInteger();
        fake.always("storm-a", a -> {
            storm.incrementAndGet();
            a.status(429, "2", "{\"error\":{\"message\":\"rate limited\",\"type\":\"requests\"}}");
        });
        fake.always("storm-b", ok("b"));
        fake.always("storm-c", ok("c"));
        long start = System.nanoTime();
        List<String> errors = calls("openai/storm", 600, 8);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of(), errors, "no client errors");
        int b = fake.received("storm-b").size(), c = fake.received("storm-c").size();
        assertEquals(600, b + c, "every call served by b or c");
        System.out.printf("429 storm: 600 calls in %.1f s, %d answered 429 by storm-a, served by storm-b %d and storm-c %d%n",
                seconds, storm.get(), b, c);
        // storm-a cools down for its retry-after (2 s) after each 429: at most one burst of calls per window
        int windows = (int) Math.ceil(seconds / 2) + 1;
        assertTrue(storm.get() <= windows * 8, storm.get() + " calls reached the 429ing deployment in " + seconds + " s");
        String metrics = metrics();
        assertTrue(metrics.contains("canaryllm_deployment_moves_total{from=\"storm-a\",reason=\"429\""), metrics);
        assertTrue(metrics.matches("(?s).*canaryllm_deployment_cooldowns_total\\{deployment=\"storm-a\",provider=\"openai\"} [1-9].*"), metrics);
    }

    @Test
    void aDeploymentThatRecoversGetsItsShareBackAfterItsCooldown() throws Exception {
        fake.enqueue("storm-a", a -> a.status(429, "1", "{\"error\":{\"message\":\"rate limited\"}}"));
        fake.always("storm-a", ok("a"));
        fake.always("storm-b", ok("b"));
        fake.always("storm-c", ok("c"));
        for (int i = 0; i < 3; i++) assertEquals(200, chat("openai/storm", false).statusCode());
        Thread.sleep(1_200);
        assertEquals(List.of(), calls("openai/storm", 30, 1));
        assertTrue(fake.received("storm-a").size() >= 9, "storm-a back in the rotation: " + fake.received("storm-a").size());
    }

    @Test
    void leastInFlightSendsCallsAwayFromTheSlowDeployment() throws Exception {
        fake.always("busy-slow", a -> {
            Thread.sleep(400);
            ok("slow").answer(a);
        });
        fake.always("busy-quick", ok("quick"));
        assertEquals(List.of(), calls("openai/busy", 120, 8));
        int slow = fake.received("busy-slow").size(), quick = fake.received("busy-quick").size();
        assertTrue(quick > 4 * slow, "quick " + quick + ", slow " + slow);
    }

    @Test
    void lowestLatencyPrefersTheDeploymentThatAnswersFirst() throws Exception {
        fake.always("lat-slow", a -> {
            Thread.sleep(150);
            ok("slow").answer(a);
        });
        fake.always("lat-quick", ok("quick"));
        assertEquals(List.of(), calls("openai/latency", 40, 1));
        int slow = fake.received("lat-slow").size();
        assertTrue(slow <= 2, "the slow deployment is tried (never measured), then left: " + slow + " calls");
        assertEquals(40 - slow, fake.received("lat-quick").size());
    }

    @Test
    void severalKeysOfAProviderTakeTurnsAndAnUnsetOneIsLeftOut() throws Exception {
        fake.always("openai", ok("keyed"));
        assertEquals(List.of(), calls("openai/gpt-4.1", 100, 4));
        Map<String, Long> byKey = new java.util.TreeMap<>();
        for (var r : fake.received("openai")) byKey.merge(r.headers().get("authorization"), 1L, Long::sum);
        assertEquals(Map.of("Bearer sk-pool-one", 50L, "Bearer sk-pool-two", 50L), byKey);
        String metrics = metrics();
        assertTrue(metrics.contains("deployment=\"openai-key1\""), metrics);
        assertTrue(metrics.contains("deployment=\"openai-key3\""), "numbered by position in apiKeyEnv");
        assertTrue(!metrics.contains("deployment=\"openai-key2\""), "POOL_KEY_UNSET is not set");
    }

    @Test
    void aFailingDeploymentsBreakerOpensWhileTheOtherServesEveryCall() throws Exception {
        fake.always("broken-a", a -> a.json(500, "{\"error\":{\"message\":\"down\"}}"));
        fake.always("broken-b", ok("b"));
        assertEquals(List.of(), calls("openai/broken", 60, 1));
        int a = fake.received("broken-a").size();
        // the breaker opens after 5 calls at 100% failure; after that broken-a is skipped without a call
        assertTrue(a <= 6, "broken-a called " + a + " times");
        assertEquals(60, fake.received("broken-b").size());
        assertTrue(metrics().contains("canaryllm_deployment_calls_total{deployment=\"broken-a\",outcome=\"breaker_open\",provider=\"openai\"}"));
    }

    @Test
    void aStreamMovedToAnotherDeploymentAfterA429IsServedAndReleasesItsDeployment() throws Exception {
        // storm-a answers 429 first whichever the rotation picks first; the stream must come whole from another
        for (String d : new String[] {"storm-a", "storm-b", "storm-c"}) {
            fake.enqueue(d, a -> a.status(429, "1", "{\"error\":{\"message\":\"rate limited\"}}"));
        }
        fake.always("storm-b", streamed("from b"));
        fake.always("storm-c", streamed("from c"));
        fake.always("storm-a", streamed("from a"));
        var r = chat("openai/storm", true);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("from ") && r.body().contains("data: [DONE]"), r.body());
        Thread.sleep(200);
        String metrics = metrics();
        for (String d : new String[] {"storm-a", "storm-b", "storm-c"}) {
            assertTrue(metrics.contains("canaryllm_deployment_in_flight{deployment=\"" + d + "\",provider=\"openai\"} 0.0"), d + "\n" + metrics);
        }
    }

    private static FakeUpstream.Script streamed(String text) {
        return a -> {
            a.startSse();
            a.data(FakeUpstream.chunk("m", text, null));
            a.data(FakeUpstream.chunk("m", "", "stop"));
            a.raw("data: [DONE]\n\n");
        };
    }

    @Test
    void anAliasIsListedWithThePriceOfItsModelAndServedByItsPool() throws Exception {
        fake.always("east", ok("east"));
        fake.always("west", ok("west"));
        fake.always("anthropic", FakeUpstream.anthropicMessage("claude"));
        var r = chat("fast", false);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("openai/weighted", r.headers().firstValue("x-canaryllm-model").orElse(""));

        JsonNode models = get("/v1/models", true);
        JsonNode alias = null;
        for (JsonNode m : models.path("data")) if (m.path("id").asText().equals("fast")) alias = m;
        assertTrue(alias != null, models.toString());
        assertEquals("openai/weighted", alias.path("alias_of").asText());

        JsonNode published = get("/api/public/models", false);
        JsonNode target = null, aliased = null;
        for (JsonNode m : published.path("data")) {
            if (m.path("id").asText().equals("openai/weighted")) target = m;
            if (m.path("id").asText().equals("fast")) aliased = m;
        }
        assertTrue(target != null && aliased != null, published.toString());
        assertEquals("0.000002", target.path("cost").path("input").decimalValue().stripTrailingZeros().toPlainString());
        assertEquals(target.path("cost"), aliased.path("cost"));
        assertEquals("openai/weighted", aliased.path("alias_of").asText());
    }

    @Test
    void theLedgerAndTheMetricsNameTheDeploymentThatServed() throws Exception {
        fake.enqueue("storm-a", a -> a.status(503, null, "{\"error\":{\"message\":\"busy\"}}"));
        fake.enqueue("storm-b", a -> a.status(503, null, "{\"error\":{\"message\":\"busy\"}}"));
        fake.enqueue("storm-c", a -> a.status(503, null, "{\"error\":{\"message\":\"busy\"}}"));
        fake.always("storm-a", ok("a"));
        fake.always("storm-b", ok("b"));
        fake.always("storm-c", ok("c"));
        String requestId = "pool-ledger-" + System.nanoTime();
        var r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/storm\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String servedBy = TestGateway.json(r.body()).path("choices").get(0).path("message").path("content").asText();
        JsonNode row = null;
        for (int i = 0; i < 50 && row == null; i++) {
            for (JsonNode x : get("/admin/usage?limit=50", false, TestGateway.MASTER_KEY).path("data")) {
                if (requestId.equals(x.path("request_id").asText())) row = x;
            }
            if (row == null) Thread.sleep(100);
        }
        assertTrue(row != null, "ledger row of " + requestId);
        assertEquals("storm-" + servedBy, row.path("deployment").asText(), row.toString());
        assertEquals("openai", row.path("provider").asText());
        // every deployment was tried once (503), then one again after a pause: 4 upstream calls
        int calls = fake.received("storm-a").size() + fake.received("storm-b").size() + fake.received("storm-c").size();
        assertEquals(4, calls);
        assertTrue(metrics().contains("deployment=\"storm-" + servedBy + "\",endpoint=\"chat_completions\"")
                || metrics().matches("(?s).*canaryllm_requests_seconds_count\\{[^}]*deployment=\"storm-" + servedBy + "\".*"));

        JsonNode byDeployment = get("/admin/usage/summary?group_by=deployment", false, TestGateway.MASTER_KEY);
        assertTrue(byDeployment.toString().contains("\"deployment\":\"storm-" + servedBy + "\""), byDeployment.toString());
    }

    private static JsonNode get(String path, boolean withKey) throws Exception { return get(path, withKey, key); }

    private static JsonNode get(String path, boolean auth, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl + path));
        if (auth || bearer != key) b.header("Authorization", "Bearer " + bearer);
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return TestGateway.json(r.body());
    }

    private static String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
