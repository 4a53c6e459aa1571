package io.canaryllm.limits;

import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway whose Redis does not answer starts, and lets calls through (fail open) instead of failing them, counting
 * each miss in {@code canaryllm_limit_store_errors_total}; needs no Redis on the machine.
 */
class RedisDownTest {
    private static final String ECHO = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void callsGoThroughAndAreCountedWhenRedisIsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) { closedPort = s.getLocalPort(); }
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(),
                Map.of("CANARYLLM_REDIS_URL", "redis://127.0.0.1:" + closedPort)).awaitReady()) {
            String key = Admin.newKey(gw.baseUrl, "\"rpm\": 1, \"budget\": {\"amount\": \"5\", \"period\": \"daily\"}").path("key").asText();
            List<Integer> statuses = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) statuses.add(Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(List.of(200, 200, 200), statuses, "an absent counter store does not refuse calls");
            assertTrue(millis < 10_000, "each call waits at most for a connection attempt: " + millis + " ms");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("canaryllm_limit_store_errors_total(?:\\{[^}]*})? ([0-9.]+)").matcher(metrics);
            assertTrue(m.find(), metrics);
            assertTrue(Double.parseDouble(m.group(1)) >= 3, "one miss per call at least: " + m.group(0));
            assertTrue(gw.output().contains("limit counters unavailable"), "the miss is logged");
        }
    }
}
