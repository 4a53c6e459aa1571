package io.canaryllm.limits;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official SDKs against refused calls: a spent budget is their {@code RateLimitException} (OpenAI code
 * {@code insufficient_quota}, Anthropic {@code rate_limit_error}) and, although both retry 429s by default, they do
 * not retry it (one ledger row, not three); a rate limit carries the retry-after they wait by.
 */
class LimitsSdkTest {
    private final TestGateway gw = TestGateway.get();

    @Test
    void openAiSdkGetsInsufficientQuotaOnceWithoutRetrying() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, "\"budget\": {\"amount\": \"0\", \"period\": \"monthly\"}");
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1")
                .apiKey(created.path("key").asText()).maxRetries(2).build();
        RateLimitException e = assertThrows(RateLimitException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("mock/echo").addUserMessage("hi").build()));
        assertEquals(429, e.statusCode());
        assertEquals("insufficient_quota", e.code().orElseThrow());
        assertEquals("insufficient_quota", e.type().orElseThrow());
        assertEquals(1, refusedRows(created.path("id").asText(), 1), "x-should-retry: false stops the SDK's retries");
    }

    @Test
    void openAiSdkSeesTheRateLimitAndItsRetryAfter() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, "\"rpm\": 1");
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1")
                .apiKey(created.path("key").asText()).maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("mock/echo").addUserMessage("hi").build();
        Admin.awaitEarlyInAMinute();
        assertEquals("hi", client.chat().completions().create(params).choices().get(0).message().content().orElseThrow());
        RateLimitException e = assertThrows(RateLimitException.class, () -> client.chat().completions().create(params));
        assertEquals("rate_limit_exceeded", e.code().orElseThrow());
        long retryAfter = Long.parseLong(e.headers().values("retry-after").get(0));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
    }

    @Test
    void anthropicSdkGetsRateLimitErrorOnceWithoutRetrying() throws Exception {
        JsonNode created = Admin.newKey(gw.baseUrl, "\"budget\": {\"amount\": \"0\", \"period\": \"total\"}");
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl)
                .apiKey(created.path("key").asText()).maxRetries(2).build();
        com.anthropic.errors.RateLimitException e = assertThrows(com.anthropic.errors.RateLimitException.class, () ->
                client.messages().create(MessageCreateParams.builder().model("mock/echo").maxTokens(50).addUserMessage("hi").build()));
        assertEquals(429, e.statusCode());
        assertTrue(e.body().toString().contains("rate_limit_error"), e.body().toString());
        assertEquals(1, refusedRows(created.path("id").asText(), 1));
    }

    /** The key's ledger rows with status 429, once at least {@code atLeast} rows are written (and a moment more). */
    private long refusedRows(String keyId, int atLeast) throws Exception {
        Admin.awaitRows(gw.baseUrl, keyId, atLeast);
        Thread.sleep(1_200); // a retry would have been sent and batched by now
        JsonNode rows = TestGateway.json(Admin.send(gw.baseUrl, "GET", "/admin/usage?key_id=" + keyId, null).body());
        long refused = 0;
        for (JsonNode row : rows.path("data")) if (row.path("status").asInt() == 429) refused++;
        assertEquals(refused, rows.path("data").size(), rows.toString());
        return refused;
    }
}
