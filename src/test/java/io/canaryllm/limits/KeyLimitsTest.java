package io.canaryllm.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.canaryllm.testing.FakeUpstream.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-key limits through the real routes on the embedded defaults (H2, counters in memory): the admin API's shape,
 * allowed models, requests and tokens per minute, a budget, an expiry, each refused in the caller's protocol before
 * any upstream call, and changes that apply at once.
 */
class KeyLimitsTest {
    private static final String ECHO = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}";
    private static final String ECHO_MESSAGES = "{\"model\":\"mock/echo\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}";
    private static final String GPT = "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    @Test
    void adminApiCreatesShowsChangesAndRemovesLimits() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, """
                "models": ["openai/*", "anthropic/claude-*"], "rpm": 60, "tpm": 100000,
                "budget": {"amount": "12.50", "period": "daily"}, "expires_at": "2099-01-01T00:00:00Z\"""");
        String id = created.path("id").asText();
        assertTrue(created.path("key").asText().startsWith("clk_live_"));
        JsonNode shown = TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/keys/" + id, null).body());
        assertEquals("limits", shown.path("name").asText());
        assertEquals("[\"openai/*\",\"anthropic/claude-*\"]", shown.path("models").toString());
        assertEquals(60, shown.path("rpm").asInt());
        assertEquals(100000, shown.path("tpm").asLong());
        assertEquals("12.50", shown.path("budget").path("amount").asText());
        assertEquals("daily", shown.path("budget").path("period").asText());
        assertEquals("2099-01-01T00:00:00Z", shown.path("expires_at").asText());
        assertTrue(shown.path("active").asBoolean());
        assertTrue(shown.path("key").isMissingNode(), "the secret is shown once, at creation");

        // PATCH changes only what it names; null removes a limit
        HttpResponse<String> patched = Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + id,
                "{\"rpm\": 5, \"tpm\": null, \"budget\": {\"amount\": 3, \"period\": \"monthly\"}, \"name\": \"renamed\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode after = TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/keys/" + id, null).body());
        assertEquals("renamed", after.path("name").asText());
        assertEquals(5, after.path("rpm").asInt());
        assertTrue(after.path("tpm").isNull());
        assertEquals("3.00", after.path("budget").path("amount").asText());
        assertEquals("monthly", after.path("budget").path("period").asText());
        assertEquals(2, after.path("models").size(), "untouched");
        assertEquals("2099-01-01T00:00:00Z", after.path("expires_at").asText(), "untouched");

        // bad fields are 400s naming the field; an unknown id is a 404; nothing changes
        for (String[] bad : new String[][] {
                {"{\"rpm\": 0}", "rpm"}, {"{\"rpm\": \"many\"}", "rpm"}, {"{\"tpm\": 1.5}", "tpm"},
                {"{\"models\": \"openai/*\"}", "models"}, {"{\"models\": [\"\"]}", "models"},
                {"{\"budget\": {\"amount\": \"-1\", \"period\": \"daily\"}}", "budget.amount"},
                {"{\"budget\": {\"amount\": \"ten\", \"period\": \"daily\"}}", "budget.amount"},
                {"{\"budget\": {\"amount\": \"10\", \"period\": \"weekly\"}}", "budget.period"},
                {"{\"expires_at\": \"soon\"}", "expires_at"}, {"{\"name\": \"\"}", "name"}}) {
            HttpResponse<String> r = Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + id, bad[0]);
            assertEquals(400, r.statusCode(), bad[0] + " -> " + r.body());
            assertEquals(bad[1], TestGateway.json(r.body()).path("error").path("param").asText(), r.body());
        }
        assertEquals(5, TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/keys/" + id, null).body()).path("rpm").asInt());
        assertEquals(404, Admin.send(gw.baseUrl, "GET", "/admin/keys/key_nope", null).statusCode());
        assertEquals(404, Admin.send(gw.baseUrl, "PATCH", "/admin/keys/key_nope", "{\"rpm\": 1}").statusCode());
        assertEquals(401, Admin.get(gw.baseUrl, "/admin/keys/" + id, created.path("key").asText()).statusCode(),
                "an API key is not the master key");
        HttpResponse<String> clearAll = Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + id,
                "{\"models\": null, \"rpm\": null, \"budget\": null, \"expires_at\": null}");
        JsonNode cleared = TestGateway.json(clearAll.body());
        assertTrue(cleared.path("models").isNull() && cleared.path("rpm").isNull() && cleared.path("budget").isNull()
                && cleared.path("expires_at").isNull(), clearAll.body());
    }

    @Test
    void adminBodiesThatAreNotAJsonObjectAre400sSayingWhy() throws Exception {
        // the admin route parses these bodies with Camel's Jackson data format (routes/admin.camel.yaml)
        String id = Admin.newKey(gw.baseUrl, "\"rpm\": 7").path("id").asText();
        for (String[] bad : new String[][] {
                {"{\"name\": ", "not valid JSON"}, {"{name: 1}", "not valid JSON"}, {"", "must be a JSON object"},
                {null, "must be a JSON object"}, {"  ", "must be a JSON object"}, {"[1, 2]", "must be a JSON object"},
                {"null", "must be a JSON object"}, {"\"x\"", "must be a JSON object"}}) {
            for (String[] call : new String[][] {{"POST", "/admin/keys"}, {"PATCH", "/admin/keys/" + id}}) {
                HttpResponse<String> r = Admin.send(gw.baseUrl, call[0], call[1], bad[0]);
                String what = call[0] + " " + bad[0] + " -> " + r.body();
                assertEquals(400, r.statusCode(), what);
                assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), what);
                JsonNode error = TestGateway.json(r.body()).path("error");
                assertTrue(error.path("message").asText().contains(bad[1]), what);
                assertEquals("invalid_request_error", error.path("type").asText(), what);
            }
        }
        assertEquals(7, TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/keys/" + id, null).body()).path("rpm").asInt(), "unchanged");
        HttpResponse<String> renamed = Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + id, "{\"name\": \"parsed\"}");
        assertEquals("parsed", TestGateway.json(renamed.body()).path("name").asText(), renamed.body());
    }

    @Test
    void aModelOutsideTheKeysPatternsIsA403InTheCallersProtocol() throws Exception {
        String key = Admin.newKey(gw.baseUrl, "\"models\": [\"openai/*\"]").path("key").asText();
        HttpResponse<String> chat = Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO);
        assertEquals(403, chat.statusCode(), chat.body());
        JsonNode error = TestGateway.json(chat.body()).path("error");
        assertEquals("model_not_allowed", error.path("code").asText());
        assertEquals("model", error.path("param").asText());
        assertTrue(error.path("message").asText().contains("mock/echo"), chat.body());
        HttpResponse<String> messages = Admin.call(gw.baseUrl, "/v1/messages", key, ECHO_MESSAGES);
        assertEquals(403, messages.statusCode());
        assertEquals("permission_error", TestGateway.json(messages.body()).path("error").path("type").asText(), messages.body());
        HttpResponse<String> count = Admin.call(gw.baseUrl, "/v1/messages/count_tokens", key,
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(403, count.statusCode(), count.body());
        assertEquals(0, gw.fake.received("anthropic").size(), "a refused count never reaches the provider");
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/messages/count_tokens", key,
                "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
        gw.fake.enqueue("openai", completion("gpt-4.1", "allowed"));
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT).statusCode());
        assertEquals(1, gw.fake.received("openai").size(), "only the allowed call went upstream");
        // the key's model list shows what it may call
        JsonNode models = TestGateway.json(Admin.get(gw.baseUrl, "/v1/models", key).body()).path("data");
        assertTrue(models.size() >= 3, models.toString());
        // an alias is listed when the model it stands for is allowed (cheap -> openai/gpt-4.1-mini)
        for (JsonNode m : models) assertTrue(m.path("alias_of").asText(m.path("id").asText()).startsWith("openai/"), m.toString());
        assertTrue(models.toString().contains("\"cheap\""), "the alias of an allowed model is listed: " + models);
        assertFalse(models.toString().contains("\"smart\""), "the alias of a refused model is not");
        JsonNode all = TestGateway.json(Admin.get(gw.baseUrl, "/v1/models", gw.apiKey).body()).path("data");
        assertTrue(all.size() > models.size(), "a key without limits sees the whole catalogue");
    }

    @Test
    void requestsPerMinuteAcrossEndpointsThen429WithRetryAfterAndAPatchAppliesAtOnce() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, "\"rpm\": 3");
        String key = created.path("key").asText();
        Admin.awaitEarlyInAMinute();
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/messages", key, ECHO_MESSAGES).statusCode());
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        HttpResponse<String> chat = Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO);
        assertEquals(429, chat.statusCode(), chat.body());
        long retryAfter = Long.parseLong(chat.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
        assertEquals("3", chat.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        JsonNode error = TestGateway.json(chat.body()).path("error");
        assertEquals("rate_limit_exceeded", error.path("code").asText());
        assertEquals("requests", error.path("type").asText());
        HttpResponse<String> messages = Admin.call(gw.baseUrl, "/v1/messages", key, ECHO_MESSAGES);
        assertEquals(429, messages.statusCode());
        assertTrue(messages.headers().firstValue("retry-after").isPresent());
        JsonNode anthropic = TestGateway.json(messages.body());
        assertEquals("error", anthropic.path("type").asText());
        assertEquals("rate_limit_error", anthropic.path("error").path("type").asText(), messages.body());
        HttpResponse<String> responses = Admin.call(gw.baseUrl, "/v1/responses", key, "{\"model\":\"mock/echo\",\"input\":\"hi\"}");
        assertEquals(429, responses.statusCode(), responses.body());

        JsonNode usage = TestGateway.json(Admin.get(gw.baseUrl, "/v1/usage", key).body());
        assertEquals(3, usage.path("limits").path("rpm").asInt());
        assertEquals(6, usage.path("this_minute").path("requests").asLong(), usage.toString());
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("canaryllm_limit_rejections_total{reason=\"requests\"}"), "refusals are a metric by reason");

        // raising the limit applies to the next call (here at once; on other replicas within a second)
        Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + created.path("id").asText(), "{\"rpm\": 100}");
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        // every call left a row, the refused ones with their 429
        JsonNode rows = Admin.awaitRows(gw.baseUrl, created.path("id").asText(), 7);
        long refused = 0;
        for (JsonNode row : rows.path("data")) if (row.path("status").asInt() == 429) refused++;
        assertEquals(3, refused, rows.toString());
    }

    @Test
    void tokensPerMinuteCountWhatTheCallsUsed() throws Exception {
        String key = Admin.newKey(gw.baseUrl, "\"tpm\": 8").path("key").asText();
        Admin.awaitEarlyInAMinute();
        HttpResponse<String> first = Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO);
        assertEquals(200, first.statusCode());
        long used = TestGateway.json(first.body()).path("usage").path("total_tokens").asLong();
        assertTrue(used >= 8, "the first call uses the minute's tokens: " + used);
        HttpResponse<String> second = Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO);
        assertEquals(429, second.statusCode(), second.body());
        assertEquals("tokens", TestGateway.json(second.body()).path("error").path("type").asText());
        assertEquals("8", second.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
        JsonNode usage = TestGateway.json(Admin.get(gw.baseUrl, "/v1/usage", key).body());
        assertEquals(used, usage.path("this_minute").path("tokens").asLong(), usage.toString());
    }

    @Test
    void aSpentBudgetIs429InsufficientQuotaUntilItIsRaised() throws Exception {
        // gpt-4.1 lists $2/M input and $8/M output; the fake answers 9 + 3 tokens: $0.000042, billed +25%: $0.0000525
        JsonNode created = Admin.newKey(gw.baseUrl, "\"budget\": {\"amount\": \"0.0001\", \"period\": \"daily\"}");
        String id = created.path("id").asText();
        String key = created.path("key").asText();
        gw.fake.enqueue("openai", completion("gpt-4.1", "one"), completion("gpt-4.1", "two"), completion("gpt-4.1", "three"));
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT).statusCode());
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT).statusCode());
        HttpResponse<String> spent = Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT);
        assertEquals(429, spent.statusCode(), spent.body());
        JsonNode error = TestGateway.json(spent.body()).path("error");
        assertEquals("insufficient_quota", error.path("code").asText());
        assertEquals("insufficient_quota", error.path("type").asText());
        assertEquals("false", spent.headers().firstValue("x-should-retry").orElseThrow(), "SDKs must not retry a spent budget");
        long untilMidnight = java.time.Duration.between(Instant.now(),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)).toSeconds();
        long retryAfter = Long.parseLong(spent.headers().firstValue("retry-after").orElseThrow());
        assertTrue(Math.abs(retryAfter - untilMidnight) <= 5, retryAfter + " vs " + untilMidnight);
        HttpResponse<String> anthropic = Admin.call(gw.baseUrl, "/v1/messages", key,
                "{\"model\":\"openai/gpt-4.1\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(429, anthropic.statusCode());
        assertEquals("rate_limit_error", TestGateway.json(anthropic.body()).path("error").path("type").asText());
        assertEquals(2, gw.fake.received("openai").size(), "refused calls never reach the provider");

        JsonNode usage = TestGateway.json(Admin.get(gw.baseUrl, "/v1/usage", key).body());
        JsonNode budget = usage.path("budget");
        assertEquals(0, new BigDecimal("0.000105").compareTo(new BigDecimal(budget.path("spent").asText())), usage.toString());
        assertEquals("0.00", budget.path("remaining").asText());
        assertEquals("daily", budget.path("period").asText());
        assertFalse(budget.path("resets_at").isNull());

        // a raised budget counts again from the ledger (its rows are written in batches: wait for them first)
        Admin.awaitRows(gw.baseUrl, id, 4);
        Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + id, "{\"budget\": {\"amount\": \"0.00015\", \"period\": \"daily\"}}");
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT).statusCode(), "0.000105 spent of 0.00015");
        assertEquals(429, Admin.call(gw.baseUrl, "/v1/chat/completions", key, GPT).statusCode(), "0.0001575 spent of 0.00015");
    }

    @Test
    void anExpiredKeyIsRefusedAndAnExtendedOneWorks() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, "\"expires_at\": \"2020-01-01\"");
        String key = created.path("key").asText();
        HttpResponse<String> r = Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO);
        assertEquals(401, r.statusCode());
        assertEquals("key_expired", TestGateway.json(r.body()).path("error").path("code").asText(), r.body());
        assertTrue(r.body().contains("2020-01-01T00:00:00Z"));
        JsonNode shown = TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/keys/" + created.path("id").asText(), null).body());
        assertFalse(shown.path("active").asBoolean());
        Admin.send(gw.baseUrl, "PATCH", "/admin/keys/" + created.path("id").asText(), "{\"expires_at\": \"2099-12-31T23:59:59Z\"}");
        assertEquals(200, Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
    }

    @Test
    void aKeyWithoutLimitsShowsNoneAndIsNotCounted() throws Exception {
        String key = Admin.newKey(gw.baseUrl, "").path("key").asText();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) statuses.add(Admin.call(gw.baseUrl, "/v1/chat/completions", key, ECHO).statusCode());
        assertEquals(List.of(200, 200, 200, 200, 200), statuses);
        JsonNode usage = TestGateway.json(Admin.get(gw.baseUrl, "/v1/usage", key).body());
        assertTrue(usage.path("limits").path("rpm").isNull());
        assertTrue(usage.path("budget").isNull(), usage.toString());
        assertEquals(0, usage.path("this_minute").path("requests").asLong(), "keys without limits cost no counter");
    }
}
