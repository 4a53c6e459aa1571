package io.canaryllm.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each example in examples/routes/, installed as its README says, proves its effect through the public endpoints. */
class ExampleRoutesTest {
    private final FakeUpstream fake = TestGateway.get().fake;

    @BeforeEach
    void reset() { fake.reset(); }

    private static String example(String name) throws Exception {
        return Files.readString(Path.of("examples/routes", name));
    }

    @Test
    void redactionRemovesEmailsAndCardNumbersBeforeTheyLeave() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(fake, Map.of("hook-before-upstream.camel.yaml", example("redact-prompts.camel.yaml"))).awaitReady()) {
            String key = gw.newKey();
            fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "noted"));
            var r = gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"Mail jane.doe@example.co.uk, card 4111 1111 1111 1111 or 378282246310005, order 12345.\"}]}",
                    "Authorization", "Bearer " + key);
            assertEquals(200, r.statusCode(), r.body());
            String sent = fake.received("openai").get(0).json().path("messages").get(0).path("content").asText();
            assertEquals("Mail [email], card [card] or [card], order 12345.", sent);

            fake.enqueue("anthropic", a -> a.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}"));
            var m = gw.post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"I am bob@corp.io\"}]}",
                    "x-api-key", key);
            assertEquals(200, m.statusCode(), m.body());
            assertFalse(fake.received("anthropic").get(0).body().contains("bob@corp.io"));
        }
    }

    @Test
    void tierHeaderSwitchesTheModel() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(fake, Map.of("hook-before-upstream.camel.yaml", example("route-by-tier.camel.yaml"))).awaitReady()) {
            String key = gw.newKey();
            fake.enqueue("openai", FakeUpstream.completion("gpt-4.1-mini", "cheap"), FakeUpstream.completion("gpt-5", "dear"));
            String body = "{\"model\":\"openai/gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertEquals(200, gw.post("/v1/chat/completions", body, "Authorization", "Bearer " + key, "x-canaryllm-tier", "cheap").statusCode());
            assertEquals(200, gw.post("/v1/chat/completions", body, "Authorization", "Bearer " + key).statusCode());
            List<FakeUpstream.Received> got = fake.received("openai");
            assertEquals("gpt-4.1-mini", got.get(0).json().path("model").asText());
            assertEquals("gpt-5", got.get(1).json().path("model").asText());
        }
    }

    @Test
    void auditRecordPerCallWithTokensAndCostButNoContent() throws Exception {
        try (GatewayProcess gw = GatewayProcess.start(fake, Map.of("hook-after-response.camel.yaml", example("audit-log.camel.yaml"))).awaitReady()) {
            String key = gw.newKey();
            fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "secret answer"));
            assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"secret question\"}]}",
                    "Authorization", "Bearer " + key).statusCode());
            assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}",
                    "Authorization", "Bearer " + key).statusCode());
            assertEquals(404, gw.post("/v1/chat/completions", "{\"model\":\"openai/none\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                    "Authorization", "Bearer " + key).statusCode());

            Path auditDir = gw.dir.resolve("audit");
            List<String> lines = List.of();
            for (int i = 0; i < 50 && lines.size() < 3; i++) {
                Thread.sleep(100);
                if (Files.isDirectory(auditDir)) {
                    try (var files = Files.list(auditDir)) {
                        lines = files.flatMap(f -> { try { return Files.readAllLines(f).stream(); } catch (Exception e) { return java.util.stream.Stream.empty(); } })
                                .filter(l -> !l.isBlank()).toList();
                    }
                }
            }
            assertEquals(3, lines.size(), "one record per call: " + lines);
            String all = String.join("\n", lines);
            assertFalse(all.contains("secret"), "no content in the audit");
            JsonNode first = TestGateway.json(lines.get(0));
            assertEquals("openai/gpt-4.1", first.path("model").asText());
            assertEquals(200, first.path("status").asInt());
            assertEquals(9, first.path("input_tokens").asLong());
            assertEquals(3, first.path("output_tokens").asLong());
            // 9 × $2.50/M + 3 × $10/M (list $2/$8 with the 25% markup)
            assertEquals(0, new java.math.BigDecimal("0.0000525").compareTo(first.path("cost_usd").decimalValue()));
            assertTrue(first.path("key_id").asText().startsWith("key_"));
            JsonNode stream = TestGateway.json(lines.get(1));
            assertEquals("mock/echo", stream.path("model").asText());
            assertEquals(2, stream.path("output_tokens").asLong(), "a streamed call is counted too");
            assertEquals(404, TestGateway.json(lines.get(2)).path("status").asInt());
        }
    }
}
