package io.canaryllm.routes;

import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broken route file stops the gateway before it takes traffic, naming the file, the line and the reason. */
class RouteValidationTest {
    @Test
    void unknownConstructStopsTheGatewayNamingFileAndLine() throws Exception {
        String broken = """
                # an operator's typo
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - frobnicate:
                            id: nope
                """;
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of("zz-broken.camel.yaml", broken))) {
            int code = gw.awaitExit(60);
            String out = gw.output();
            assertNotEquals(0, code, out);
            assertTrue(out.contains("zz-broken.camel.yaml"), out);
            assertTrue(out.toLowerCase().contains("line 7"), out);
            assertTrue(out.contains("frobnicate"), out);
        }
    }
}
