package io.canaryllm.ops;

import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.OtlpReceiver;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SIGTERM ends the process only after the gateway's own stop has run to its end: the ledger's last rows, closing
 * the store (H2 puts its committed pages on disk then) and exporting the last spans all come after Camel's context
 * has stopped, which is all that Camel's own shutdown hook waits for. Here the span export is the slow last step: a
 * collector that answers after 2 s. A process that halted when the context stopped would never see that answer.
 */
class ShutdownOrderTest {
    @Test
    void sigtermWaitsForTheLastStepOfTheStop() throws Exception {
        try (OtlpReceiver slowCollector = new OtlpReceiver(Duration.ofSeconds(2));
             GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(), Map.of(
                     "OTEL_EXPORTER_OTLP_ENDPOINT", slowCollector.endpoint(),
                     "OTEL_BSP_SCHEDULE_DELAY", "600000")).awaitReady()) { // spans wait for the export at shutdown
            String key = gw.newKey();
            var r = gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "Authorization", "Bearer " + key);
            assertEquals(200, r.statusCode(), r.body());

            gw.terminate();
            int exit = gw.awaitExit(60);
            String out = gw.output();
            assertEquals(143, exit, out);
            assertTrue(out.contains("CanaryLLM stopped: usage ledger written, store closed, spans exported"),
                    "the stop ran to its last line before the process ended:\n" + out);
            assertTrue(slowCollector.spans().stream().anyMatch(s -> s.kind().equals("SERVER")),
                    "the call's span was exported and answered: " + slowCollector.spans());
        }
    }
}
