package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.catalogue.CatalogueLoader;
import io.canaryllm.config.Settings;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bill, to the last digit, for each upstream wire's usage format: catalogue list price per million tokens × tokens
 * × (1 + markup), with cache reads and cache writes at their own prices and the rest of the prompt at the input price.
 * Every call goes through the real gateway to a scripted upstream; the expected figures are computed here, from the
 * list prices read out of {@code config/catalogue.yaml} and token counts worked out by hand from each wire's usage
 * object (protocols.md 5.8: canonical input includes cache reads and writes, as OpenAI's {@code prompt_tokens},
 * Responses' {@code input_tokens} and Gemini's {@code promptTokenCount} do; Anthropic's {@code input_tokens} excludes
 * them).
 */
class BilledCostPerWireTest {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static Path catalogueFile;
    private static BigDecimal markup;
    private static Map<String, Object> yaml;

    private final TestGateway gw = TestGateway.get();
    private String keyId;
    private String key;

    /** Tokens as the ledger should hold them (canonical: input includes the cache reads and writes). */
    private record Tokens(long input, long output, long cacheRead, long cacheWrite, long reasoning) {}

    /** A model's list prices in dollars per million tokens, as written in the catalogue. */
    private record ListPrice(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {}

    @BeforeAll
    static void readCatalogue() throws Exception {
        // the file the gateway reads, and its markup read the way the gateway reads it
        catalogueFile = Path.of(Settings.get("CANARYLLM_CATALOGUE", "config/catalogue.yaml"));
        markup = CatalogueLoader.load(catalogueFile).markup();
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(catalogueFile));
        yaml = doc;
        assertTrue(markup.signum() > 0, "the test catalogue marks prices up, so billed and list cost differ");
    }

    @BeforeEach
    void freshKey() throws Exception {
        gw.fake.reset();
        JsonNode created = Ledger.newKey(gw.baseUrl, "billing");
        keyId = created.path("id").asText();
        key = created.path("key").asText();
    }

    // ---- OpenAI Chat upstream: usage.prompt_tokens (cached included), prompt_tokens_details.cached_tokens,
    //      completion_tokens (reasoning included), completion_tokens_details.reasoning_tokens

    private static final String CHAT_USAGE = """
            {"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
             "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":128,"audio_tokens":0}}""";
    private static final Tokens CHAT_TOKENS = new Tokens(2006, 300, 1920, 0, 128);

    @Test
    void openAiChatPlain() throws Exception {
        gw.fake.enqueue("openai", a -> a.json(200, """
                {"id":"chatcmpl-b1","object":"chat.completion","created":1760704586,"model":"gpt-5",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"finish_reason":"stop"}],
                 "usage":%s}""".formatted(CHAT_USAGE)));
        ok(post("/v1/chat/completions", "{\"model\":\"openai/gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertBilled("openai/gpt-5", CHAT_TOKENS);
    }

    @Test
    void openAiChatStreamed() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("{\"role\":\"assistant\",\"content\":\"h\"}", null));
            a.data(chunk("{\"content\":\"i\"}", "\"stop\""));
            a.data("{\"id\":\"chatcmpl-b2\",\"object\":\"chat.completion.chunk\",\"created\":1760704588,\"model\":\"gpt-5\","
                    + "\"choices\":[],\"usage\":" + CHAT_USAGE.replace("\n", "") + "}");
            a.data("[DONE]");
        });
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"openai/gpt-5\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ok(r);
        assertTrue(r.body().contains("[DONE]"), r.body());
        assertBilled("openai/gpt-5", CHAT_TOKENS);
    }

    @Test
    void openAiChatUpstreamForAnAnthropicClient() throws Exception {
        gw.fake.enqueue("openai", a -> a.json(200, """
                {"id":"chatcmpl-b3","object":"chat.completion","created":1760704586,"model":"gpt-5",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"finish_reason":"stop"}],
                 "usage":%s}""".formatted(CHAT_USAGE)));
        ok(post("/v1/messages", "{\"model\":\"openai/gpt-5\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        // the Anthropic body the client gets has no field for reasoning tokens; the ledger counts them all the same
        assertBilled("openai/gpt-5", CHAT_TOKENS);
    }

    // ---- Anthropic Messages upstream: input_tokens EXCLUDES cache_read_input_tokens and cache_creation_input_tokens

    /** 50 uncached + 4000 read from the cache + 1200 written to it = 5250 prompt tokens. */
    private static final Tokens ANTHROPIC_TOKENS = new Tokens(50 + 4000 + 1200, 321, 4000, 1200, 0);

    private static String anthropicMessage() {
        return """
                {"id":"msg_b1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":50,"cache_creation_input_tokens":1200,"cache_read_input_tokens":4000,"output_tokens":321}}""";
    }

    private static void anthropicStream(io.canaryllm.testing.FakeUpstream.Answer a) throws Exception {
        a.startSse();
        a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_b2\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":50,\"cache_creation_input_tokens\":1200,\"cache_read_input_tokens\":4000,\"output_tokens\":1}}}");
        a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}");
        a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        // the final delta carries only the output count: the cache counts stand from message_start
        a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":321}}");
        a.event("message_stop", "{\"type\":\"message_stop\"}");
    }

    @Test
    void anthropicPlain() throws Exception {
        gw.fake.enqueue("anthropic", a -> a.json(200, anthropicMessage()));
        ok(post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    @Test
    void anthropicStreamedWithTheCacheCountsInMessageStart() throws Exception {
        gw.fake.enqueue("anthropic", BilledCostPerWireTest::anthropicStream);
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":500,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ok(r);
        assertTrue(r.body().contains("message_stop"), r.body());
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    @Test
    void anthropicUpstreamForAnOpenAiChatClient() throws Exception {
        gw.fake.enqueue("anthropic", a -> a.json(200, anthropicMessage()));
        ok(post("/v1/chat/completions", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    @Test
    void anthropicUpstreamStreamedForAnOpenAiChatClient() throws Exception {
        gw.fake.enqueue("anthropic", BilledCostPerWireTest::anthropicStream);
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ok(r);
        assertTrue(r.body().contains("[DONE]"), r.body());
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    @Test
    void anthropicUpstreamForAResponsesClient() throws Exception {
        gw.fake.enqueue("anthropic", a -> a.json(200, anthropicMessage()));
        ok(post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"store\":false,\"input\":\"hi\"}"));
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    @Test
    void anthropicUpstreamStreamedForAResponsesClient() throws Exception {
        gw.fake.enqueue("anthropic", BilledCostPerWireTest::anthropicStream);
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"store\":false,\"stream\":true,\"input\":\"hi\"}");
        ok(r);
        assertTrue(r.body().contains("response.completed"), r.body());
        assertBilled("anthropic/claude-sonnet-4-5", ANTHROPIC_TOKENS);
    }

    // ---- Gemini upstream: usageMetadata.promptTokenCount (cached included), cachedContentTokenCount,
    //      candidatesTokenCount and thoughtsTokenCount (separate: output is their sum)

    /** 5000 prompt tokens of which 4096 cached; 200 answer + 150 thought tokens = 350 output. */
    private static final Tokens GEMINI_TOKENS = new Tokens(5000, 350, 4096, 0, 150);
    private static final String GEMINI_USAGE = "{\"promptTokenCount\":5000,\"cachedContentTokenCount\":4096,"
            + "\"candidatesTokenCount\":200,\"thoughtsTokenCount\":150,\"totalTokenCount\":5350,"
            + "\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":4096}]}";

    @Test
    void geminiPlain() throws Exception {
        gw.fake.enqueue("gemini", a -> a.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":" + GEMINI_USAGE
                + ",\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\"}"));
        ok(post("/v1/chat/completions", "{\"model\":\"gemini/gemini-2.5-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertBilled("gemini/gemini-2.5-pro", GEMINI_TOKENS);
    }

    @Test
    void geminiStreamedForAnAnthropicClient() throws Exception {
        gw.fake.enqueue("gemini", a -> {
            a.startSse();
            // usageMetadata is cumulative: the last one counts, never a sum
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"h\"}],\"role\":\"model\"},\"index\":0}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":5000,\"cachedContentTokenCount\":4096,\"candidatesTokenCount\":1,"
                    + "\"thoughtsTokenCount\":150,\"totalTokenCount\":5151},\"modelVersion\":\"gemini-2.5-pro\"}\r\n\r\n");
            a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"i\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                    + "\"usageMetadata\":" + GEMINI_USAGE + ",\"modelVersion\":\"gemini-2.5-pro\"}\r\n\r\n");
        });
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"gemini/gemini-2.5-pro\",\"max_tokens\":500,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ok(r);
        assertTrue(r.body().contains("message_stop"), r.body());
        assertBilled("gemini/gemini-2.5-pro", GEMINI_TOKENS);
    }

    // ---- OpenAI Responses upstream (openai serves /responses: Responses callers pass through):
    //      usage.input_tokens (cached included), input_tokens_details.cached_tokens, output_tokens (reasoning included)

    private static final String RESPONSES_USAGE = "{\"input_tokens\":3000,\"input_tokens_details\":{\"cached_tokens\":2048},"
            + "\"output_tokens\":500,\"output_tokens_details\":{\"reasoning_tokens\":320},\"total_tokens\":3500}";
    private static final Tokens RESPONSES_TOKENS = new Tokens(3000, 500, 2048, 0, 320);

    @Test
    void openAiResponsesPlain() throws Exception {
        gw.fake.enqueue("openai", a -> a.json(200, """
                {"id":"resp_b1","object":"response","created_at":1760000000,"status":"completed","model":"gpt-5",
                 "output":[{"id":"msg_1","type":"message","status":"completed","role":"assistant",
                            "content":[{"type":"output_text","text":"hi","annotations":[]}]}],
                 "error":null,"incomplete_details":null,"usage":%s}""".formatted(RESPONSES_USAGE)));
        ok(post("/v1/responses", "{\"model\":\"openai/gpt-5\",\"input\":\"hi\"}"));
        assertEquals("/openai/v1/responses", gw.fake.received("openai").get(0).path(), "passed through to the Responses wire");
        assertBilled("openai/gpt-5", RESPONSES_TOKENS);
    }

    @Test
    void openAiResponsesStreamed() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.raw("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                    + "{\"id\":\"resp_b2\",\"status\":\"in_progress\",\"usage\":null}}\n\n");
            a.raw("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                    + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"hi\"}\n\n");
            a.raw("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":"
                    + "{\"id\":\"resp_b2\",\"status\":\"completed\",\"usage\":" + RESPONSES_USAGE + "}}\n\n");
        });
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"openai/gpt-5\",\"stream\":true,\"input\":\"hi\"}");
        ok(r);
        assertTrue(r.body().contains("response.completed"), r.body());
        assertBilled("openai/gpt-5", RESPONSES_TOKENS);
    }

    // ---- the figures

    /**
     * The call's one ledger row holds the tokens, {@code provider_cost} = list price × tokens and {@code cost} = that
     * × (1 + markup), both exactly.
     */
    private void assertBilled(String model, Tokens t) throws Exception {
        JsonNode row = Ledger.awaitRows(gw.baseUrl, "key_id=" + keyId, 1).path("data").get(0);
        assertEquals(model, row.path("model").asText(), row.toString());
        assertEquals(200, row.path("status").asInt(), row.toString());
        assertEquals(t.input(), row.path("input_tokens").asLong(), "input tokens, cache included: " + row);
        assertEquals(t.output(), row.path("output_tokens").asLong(), "output tokens: " + row);
        assertEquals(t.cacheRead(), row.path("cache_read_tokens").asLong(), "cache reads: " + row);
        assertEquals(t.cacheWrite(), row.path("cache_write_tokens").asLong(), "cache writes: " + row);
        assertEquals(t.reasoning(), row.path("reasoning_tokens").asLong(), "reasoning tokens: " + row);

        ListPrice p = listPrice(model);
        assertTrue(p.cacheRead().signum() > 0 && p.cacheRead().compareTo(p.input()) != 0,
                model + " prices cache reads apart from plain input, so mispriced cache reads would show");
        if (t.cacheWrite() > 0) {
            assertTrue(p.cacheWrite().signum() > 0 && p.cacheWrite().compareTo(p.input()) != 0,
                    model + " prices cache writes apart from plain input, so mispriced cache writes would show");
        }
        long plainInput = t.input() - t.cacheRead() - t.cacheWrite();
        BigDecimal list = p.input().multiply(BigDecimal.valueOf(plainInput))
                .add(p.output().multiply(BigDecimal.valueOf(t.output())))
                .add(p.cacheRead().multiply(BigDecimal.valueOf(t.cacheRead())))
                .add(p.cacheWrite().multiply(BigDecimal.valueOf(t.cacheWrite())))
                .divide(MILLION); // exact: a power of ten
        BigDecimal billed = list.multiply(BigDecimal.ONE.add(markup));

        BigDecimal providerCost = new BigDecimal(row.path("provider_cost").asText());
        BigDecimal cost = new BigDecimal(row.path("cost").asText());
        assertEquals(0, list.compareTo(providerCost),
                "provider_cost = list price × tokens: expected " + list.toPlainString() + ", row " + row);
        assertEquals(0, billed.compareTo(cost),
                "cost = list price × tokens × (1 + " + markup.toPlainString() + "): expected " + billed.toPlainString() + ", row " + row);
        assertNotEquals(0, cost.compareTo(providerCost), "the markup shows in the bill");
    }

    /**
     * The model's list prices per million tokens, straight from the catalogue file: never the published prices, which
     * are rounded to four significant digits (gemini-2.5-pro: 0.000001563 published, 0.0000015625 billed), so a
     * ledger that billed from the published figure fails here.
     */
    @SuppressWarnings("unchecked")
    private static ListPrice listPrice(String model) {
        for (Object entry : (List<Object>) yaml.get("models")) {
            Map<String, Object> m = (Map<String, Object>) entry;
            if (!model.equals(m.get("id"))) continue;
            Map<String, Object> price = (Map<String, Object>) m.get("price");
            return new ListPrice(decimal(price.get("input")), decimal(price.get("output")),
                    decimal(price.get("cacheRead")), decimal(price.get("cacheWrite")));
        }
        throw new AssertionError(model + " is not in " + catalogueFile);
    }

    private static BigDecimal decimal(Object yamlNumber) {
        return yamlNumber == null ? BigDecimal.ZERO : new BigDecimal(String.valueOf(yamlNumber));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return gw.post(path, body, "Authorization", "Bearer " + key);
    }

    private static void ok(HttpResponse<String> r) { assertEquals(200, r.statusCode(), r.body()); }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-b2\",\"object\":\"chat.completion.chunk\",\"created\":1760704588,\"model\":\"gpt-5\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}],\"usage\":null}";
    }
}
