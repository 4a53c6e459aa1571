package io.canaryllm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published catalogue, its prices with the 25% markup, and model id resolution. */
class CatalogueTest {
    private final TestGateway gw = TestGateway.get();

    @Test
    void publicModelsArePricedPerTokenWithTheMarkup() throws Exception {
        var r = gw.get("/api/public/models");
        assertEquals(200, r.statusCode());
        Map<String, JsonNode> byId = new HashMap<>();
        TestGateway.json(r.body()).path("data").forEach(m -> byId.put(m.path("id").asText(), m));
        for (String id : new String[] {"anthropic/claude-sonnet-4-5", "openai/gpt-4.1", "openai/gpt-5", "gemini/gemini-2.5-flash",
                "gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash-lite", "gemini/gemini-3-flash-preview",
                "gemini/gemini-3.1-pro-preview", "gemini/gemini-3.5-flash", "gemini/gemini-3.1-flash-lite",
                "xai/grok-4-1-fast-non-reasoning", "vertex/gemini-2.5-pro", "perplexity/sonar-pro",
                "lmstudio/qwen2.5-coder-32b", "lmstudio/unsloth/qwen3.6-27b-mlx", "mock/echo"}) {
            assertTrue(byId.containsKey(id), "catalogue lists " + id);
        }
        JsonNode pro = byId.get("gemini/gemini-2.5-pro");
        assertEquals("gemini", pro.path("provider").asText());
        assertEquals("gemini-2.5-pro", pro.path("name").asText());
        // $1.25/M × 1.25 = 0.0000015625 per token, exactly (no rounding between the list price and the bill)
        assertEquals(0, new BigDecimal("0.0000015625").compareTo(pro.path("cost").path("input").decimalValue()));
        assertEquals(0, new BigDecimal("0.0000125").compareTo(pro.path("cost").path("output").decimalValue()));
        assertEquals(0, new BigDecimal("0.00000015625").compareTo(pro.path("cost").path("cacheRead").decimalValue()));
        assertTrue(r.body().contains("\"input\":0.0000015625"), "plain decimals, never exponent notation");
        assertTrue(r.body().contains("\"cacheRead\":0.00000015625"), "plain decimals, never exponent notation");
        assertTrue(r.body().contains("\"cacheWrite\":0}"), "a free price is a plain 0");
        assertFalse(r.body().matches("(?s).*:-?\\d+(\\.\\d+)?[eE].*"), "no exponent anywhere: " + r.body());
        assertEquals(1048576, pro.path("contextWindow").asInt());
        assertTrue(pro.path("reasoning").asBoolean());
        JsonNode qwen = byId.get("lmstudio/unsloth/qwen3.6-27b-mlx");
        assertEquals("lmstudio", qwen.path("provider").asText());
        assertEquals("unsloth/qwen3.6-27b-mlx", qwen.path("name").asText());
    }

    @Test
    void piFormatIsAReadyProvidersBlock() throws Exception {
        var r = gw.get("/api/public/models?format=pi");
        assertEquals(200, r.statusCode());
        JsonNode canary = TestGateway.json(r.body()).path("providers").path("canary");
        assertEquals(gw.baseUrl + "/v1", canary.path("baseUrl").asText());
        assertEquals("openai-completions", canary.path("api").asText());
        assertEquals("CANARYLLM_API_KEY", canary.path("apiKey").asText());
        JsonNode pro = null;
        for (JsonNode m : canary.path("models")) if (m.path("id").asText().equals("gemini/gemini-2.5-pro")) pro = m;
        assertEquals(0, new BigDecimal("1.5625").compareTo(pro.path("cost").path("input").decimalValue()), "pi counts per million tokens");
        assertEquals(1048576, pro.path("contextWindow").asInt());
    }

    @Test
    void openAiModelListNeedsAKey() throws Exception {
        assertEquals(401, gw.get("/v1/models").statusCode());
        var r = gw.get("/v1/models", "Authorization", "Bearer " + gw.apiKey);
        assertEquals(200, r.statusCode());
        JsonNode list = TestGateway.json(r.body());
        assertEquals("list", list.path("object").asText());
        assertEquals("model", list.path("data").get(0).path("object").asText());
    }

    @Test
    void modelIdsSplitOnTheFirstSlashAndLocalProvidersTakeAnyModel() throws Exception {
        gw.fake.reset();
        gw.fake.enqueue("lmstudio", FakeUpstream.completion("q", "a"), FakeUpstream.completion("q", "b"));
        assertEquals(200, gw.chat("{\"model\":\"lmstudio/unsloth/qwen3.6-27b-mlx\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
        assertEquals(200, gw.chat("{\"model\":\"lmstudio/some/new-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
        var received = gw.fake.received("lmstudio");
        assertEquals("unsloth/qwen3.6-27b-mlx", received.get(0).json().path("model").asText());
        assertEquals("some/new-model", received.get(1).json().path("model").asText());
        assertFalse(received.get(0).headers().containsKey("authorization"), "no key configured, none sent");
    }
}
