package io.canaryllm.gemini;

import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import static io.canaryllm.testing.FakeUpstream.anthropicMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vertex/claude-*: Anthropic Messages through Vertex's Anthropic publisher (rawPredict), reusing the Anthropic codecs. */
class VertexClaudeTest {
    private final TestGateway gw = TestGateway.get();

    @Test
    void anthropicCallersPassThroughAndOpenAiCallersAreTranslated() throws Exception {
        gw.fake.reset();
        gw.fake.enqueue("oauth", GoogleToken.endpoint(gw));
        gw.fake.enqueue("vertex", anthropicMessage("Claude on Vertex"), a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"streamed via Vertex\"}}");
            a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}");
            a.event("message_stop", "{\"type\":\"message_stop\"}");
        });

        var plain = gw.post("/v1/messages", "{\"model\":\"vertex/claude-sonnet-4-5\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", gw.apiKey);
        assertEquals(200, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("Claude on Vertex"));
        FakeUpstream.Received up = gw.fake.received("vertex").get(0);
        assertEquals("/vertex/v1/projects/test-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict", up.path());
        assertEquals("vertex-2023-10-16", up.json().path("anthropic_version").asText());
        assertFalse(up.json().has("model"), "the model is in the URL");
        assertEquals("Bearer " + GoogleToken.TOKEN, up.headers().get("authorization"));

        var streamed = gw.chat("{\"model\":\"vertex/claude-sonnet-4-5\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().contains("streamed via Vertex") && streamed.body().contains("data: [DONE]"), streamed.body());
        FakeUpstream.Received second = gw.fake.received("vertex").get(1);
        assertTrue(second.path().endsWith(":streamRawPredict"), second.path());
        assertEquals(64000, second.json().path("max_tokens").asInt(), "translated from OpenAI Chat: max_tokens supplied");
    }
}
