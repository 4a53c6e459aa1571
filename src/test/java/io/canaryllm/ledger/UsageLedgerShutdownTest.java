package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shutdown drains the ledger: calls answered just before SIGTERM (their rows still in the queue or the batch being
 * aggregated) are all in the store when the gateway comes back on the same data directory.
 */
class UsageLedgerShutdownTest {
    private static final int CALLS = 60; // under one batch: only the drain at shutdown writes them

    @Test
    void sigtermWritesEveryQueuedRow() throws Exception {
        Path data = Files.createTempDirectory("canaryllm-ledger-data");
        Map<String, String> env = Map.of("CANARYLLM_DATA_DIR", data.toString());
        String keyId;
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(), env).awaitReady()) {
            JsonNode key = Ledger.newKey(gw.baseUrl, "drain");
            keyId = key.path("id").asText();
            String secret = key.path("key").asText();
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                Future<?>[] calls = new Future<?>[CALLS];
                for (int i = 0; i < CALLS; i++) {
                    boolean stream = i % 2 == 0;
                    String body = "{\"model\":\"mock/echo\",\"stream\":" + stream + ",\"stream_options\":{\"include_usage\":true},"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"call " + i + "\"}]}";
                    calls[i] = pool.submit(() -> {
                        var r = gw.post("/v1/chat/completions", body, "Authorization", "Bearer " + secret);
                        if (r.statusCode() != 200) throw new AssertionError(r.body());
                        return null;
                    });
                }
                for (Future<?> f : calls) f.get();
            } finally {
                pool.shutdownNow();
            }
            gw.terminate(); // at once: the last rows are still on their way to the store
            assertEquals(143, gw.awaitExit(40), () -> {
                try { return gw.output(); } catch (Exception e) { return e.toString(); }
            });
            String out = gw.output();
            if (out.contains("could not be written")) throw new AssertionError(out);
        }
        try (GatewayProcess again = GatewayProcess.start(TestGateway.get().fake, Map.of(), env).awaitReady()) {
            JsonNode ledger = Ledger.awaitRows(again.baseUrl, "key_id=" + keyId, CALLS);
            assertEquals(CALLS, ledger.path("totals").path("requests").asLong());
            assertEquals(CALLS, ledger.path("data").size());
        }
    }
}
