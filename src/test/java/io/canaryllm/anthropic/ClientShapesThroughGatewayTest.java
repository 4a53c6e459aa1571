package io.canaryllm.anthropic;

import io.canaryllm.testing.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Claude Code really sends ({@code src/test/resources/fixtures/clients}, copied from the shared fixtures), sent through the running gateway on both paths:
 * to {@code anthropic/*} it must arrive byte for byte but the model; to {@code openai/*} it must arrive as the
 * golden OpenAI request in {@code src/test/resources/golden/claude-code-to-openai} (rewrite it with
 * {@code -Dgolden.update=true} and review the diff).
 */
class ClientShapesThroughGatewayTest {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final TestGateway gw = TestGateway.get();

    @ParameterizedTest
    @ValueSource(strings = {"claude-code-say-hello", "claude-code-tool-bash"})
    void claudeCodeShapesReachBothWiresCorrectly(String name) throws Exception {
        String fixture = Files.readString(Path.of("src/test/resources/fixtures/clients/" + name + ".shape.json"));
        String fixtureModel = TestGateway.json(fixture).path("model").asText();
        String[] headers = {"Authorization", "Bearer " + gw.apiKey, "anthropic-version", "2023-06-01",
                "anthropic-beta", "claude-code-20250219,context-management-2025-06-27"};

        // passthrough: the body arrives unchanged but for the model
        gw.fake.reset();
        String toAnthropic = fixture.replace("\"" + fixtureModel + "\"", "\"anthropic/claude-sonnet-4-5\"");
        gw.fake.enqueue("anthropic", a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
            a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}");
            a.event("message_stop", "{\"type\":\"message_stop\"}");
        });
        var passthrough = gw.post("/v1/messages?beta=true", toAnthropic, headers);
        assertEquals(200, passthrough.statusCode(), passthrough.body());
        assertEquals(toAnthropic.replace("\"anthropic/claude-sonnet-4-5\"", "\"claude-sonnet-4-5\""),
                gw.fake.received("anthropic").get(0).body());

        // translated: the OpenAI request that arrives is the reviewed golden one
        gw.fake.reset();
        String toOpenAi = fixture.replace("\"" + fixtureModel + "\"", "\"openai/gpt-4.1\"");
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"ok\"}", null));
            a.data(chunk("gpt-4.1", "{}", "stop"));
            a.data(FakeUpstream.usageChunk("gpt-4.1", 100, 1));
            a.data("[DONE]");
        });
        var translated = gw.post("/v1/messages?beta=true", toOpenAi, headers);
        assertEquals(200, translated.statusCode(), translated.body());
        assertTrue(translated.body().startsWith("event: message_start"), translated.body());
        assertTrue(translated.body().contains("event: message_stop"));
        JsonNode upstream = gw.fake.received("openai").get(0).json();
        String sent = gw.fake.received("openai").get(0).body();
        assertFalse(sent.contains("cache_control") || sent.contains("\"$schema\"") || sent.contains("context_management"),
                "Anthropic-only fields are dropped");
        Path golden = Path.of("src/test/resources/golden/claude-code-to-openai/" + name + ".upstream.json");
        Golden.compareJson(golden, PRETTY.writeValueAsString(upstream) + "\n"); // a missing golden fails unless -Dgolden.update=true
    }
}
