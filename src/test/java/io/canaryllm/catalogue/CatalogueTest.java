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
        for (String id : new String[] {"anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-6", "openai/gpt-4.1",
                "openai/gpt-5", "azure/gpt-4.1", "gemini/gemini-2.5-flash",
                "gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash-lite", "gemini/gemini-3-flash-preview",
                "gemini/gemini-3.1-pro-preview", "gemini/gemini-3.5-flash", "gemini/gemini-3.1-flash-lite",
                "xai/grok-4-1-fast-non-reasoning", "vertex/gemini-2.5-pro", "perplexity/sonar-pro",
                "lmstudio/qwen2.5-coder-32b", "lmstudio/unsloth/qwen3.6-27b-mlx", "mock/echo"}) {
            assertTrue(byId.containsKey(id), "catalogue lists " + id);
        }
        JsonNode pro = byId.get("gemini/gemini-2.5-pro");
        assertEquals("gemini", pro.path("provider").asText());
        assertEquals("gemini-2.5-pro", pro.path("name").asText());
        // $1.25/M × 1.25 = 0.0000015625 per token, published to four significant digits (the ledger bills it exactly:
        // PricesTest, BilledCostPerWireTest)
        assertEquals(0, new BigDecimal("0.000001563").compareTo(pro.path("cost").path("input").decimalValue()));
        assertEquals(0, new BigDecimal("0.0000125").compareTo(pro.path("cost").path("output").decimalValue()));
        assertEquals(0, new BigDecimal("0.0000001563").compareTo(pro.path("cost").path("cacheRead").decimalValue()));
        assertTrue(r.body().contains("\"input\":0.000001563,"), "plain decimals, never exponent notation");
        assertTrue(r.body().contains("\"cacheRead\":0.0000001563,"), "plain decimals, never exponent notation");
        assertFalse(r.body().contains("0.0000015625"), "the exact billed price is not what is published");
        assertTrue(r.body().contains("\"cacheWrite\":0}"), "a free price is a plain 0");
        assertFalse(r.body().matches("(?s).*:-?\\d+(\\.\\d+)?[eE].*"), "no exponent anywhere: " + r.body());
        assertEquals(1048576, pro.path("contextWindow").asInt());
        assertTrue(pro.path("reasoning").asBoolean());
        JsonNode qwen = byId.get("lmstudio/unsloth/qwen3.6-27b-mlx");
        assertEquals("lmstudio", qwen.path("provider").asText());
        assertEquals("unsloth/qwen3.6-27b-mlx", qwen.path("name").asText());
    }

    @Test
    void seedEntries() throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        TestGateway.json(gw.get("/api/public/models").body()).path("data").forEach(m -> byId.put(m.path("id").asText(), m));

        JsonNode flash = byId.get("gemini/gemini-3.5-flash"); // $1.50/$9 per M, cache reads 10% of input
        assertEquals(0, new BigDecimal("0.000001875").compareTo(flash.path("cost").path("input").decimalValue()));
        assertEquals(0, new BigDecimal("0.00001125").compareTo(flash.path("cost").path("output").decimalValue()));
        assertEquals(0, new BigDecimal("0.0000001875").compareTo(flash.path("cost").path("cacheRead").decimalValue()));

        JsonNode qwen = byId.get("lmstudio/unsloth/qwen3.6-27b-mlx");
        assertEquals(0, new BigDecimal("0.000001").compareTo(qwen.path("cost").path("input").decimalValue()));
        assertEquals(0, new BigDecimal("0.000001").compareTo(qwen.path("cost").path("output").decimalValue()));
        assertEquals(32768, qwen.path("contextWindow").asInt());
        assertEquals(8192, qwen.path("maxTokens").asInt());
        assertEquals("[\"text\"]", qwen.path("input").toString());

        JsonNode sonnet46 = byId.get("anthropic/claude-sonnet-4-6");
        JsonNode sonnet45 = byId.get("anthropic/claude-sonnet-4-5");
        assertEquals("anthropic", sonnet46.path("provider").asText());
        assertEquals(0, new BigDecimal("0.00000375").compareTo(sonnet46.path("cost").path("input").decimalValue()));
        for (String field : new String[] {"contextWindow", "maxTokens", "input", "reasoning", "cost"}) {
            assertEquals(sonnet45.path(field), sonnet46.path(field), "claude-sonnet-4-6 " + field + " as claude-sonnet-4-5");
        }
    }

    @Test
    void theShippedAliasesAreListedWithThePriceOfWhatTheyStandForAndServeCalls() throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        TestGateway.json(gw.get("/api/public/models").body()).path("data").forEach(m -> byId.put(m.path("id").asText(), m));
        for (var alias : Map.of("fast", "gemini/gemini-2.5-flash", "smart", "anthropic/claude-sonnet-4-5",
                "cheap", "openai/gpt-4.1-mini").entrySet()) {
            JsonNode listed = byId.get(alias.getKey());
            assertTrue(listed != null, alias.getKey() + " listed");
            assertEquals(alias.getValue(), listed.path("alias_of").asText());
            assertEquals(byId.get(alias.getValue()).path("cost"), listed.path("cost"), alias.getKey() + " priced as " + alias.getValue());
        }
        gw.fake.reset();
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1-mini", "cheap answer"));
        var r = gw.chat("{\"model\":\"cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("gpt-4.1-mini", gw.fake.received("openai").get(0).json().path("model").asText());
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
        assertEquals(0, new BigDecimal("1.563").compareTo(pro.path("cost").path("input").decimalValue()),
                "pi counts per million tokens, the published price");
        assertEquals(1048576, pro.path("contextWindow").asInt());
        // thinking is handled inside the gateway: pi must not send its own reasoning parameters for any model
        assertTrue(canary.path("models").size() > 1);
        for (JsonNode m : canary.path("models")) {
            assertTrue(m.path("reasoning").isBoolean() && !m.path("reasoning").asBoolean(), "reasoning false for pi: " + m);
        }
        // while the plain format keeps each model's own flag
        boolean proReasons = false;
        for (JsonNode m : TestGateway.json(gw.get("/api/public/models").body()).path("data")) {
            if (m.path("id").asText().equals("gemini/gemini-2.5-pro")) proReasons = m.path("reasoning").asBoolean();
        }
        assertTrue(proReasons, "the plain format says gemini-2.5-pro reasons");
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
