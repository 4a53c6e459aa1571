package io.canaryllm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal is an OpenAI error object: {"error": {"message", "type", "param", "code"}}. */
class ErrorAnswersTest {
    private static final String OK_BODY = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode e = TestGateway.json(r.body()).path("error");
        assertTrue(e.path("message").isTextual() && e.has("type") && e.has("param") && e.has("code"), r.body());
        return e;
    }

    @Test
    void missingUnknownAndRevokedKeysGet401() throws Exception {
        assertEquals("invalid_api_key", error(gw.post("/v1/chat/completions", OK_BODY), 401).path("code").asText());
        error(gw.post("/v1/chat/completions", OK_BODY, "Authorization", "Bearer clk_live_00000000000000000000000000000000"), 401);
        error(gw.post("/v1/chat/completions", OK_BODY, "x-api-key", "nope"), 401);

        HttpResponse<String> created = gw.post("/admin/keys", "{\"name\":\"to-revoke\"}", "Authorization", "Bearer " + TestGateway.MASTER_KEY);
        assertEquals(201, created.statusCode());
        JsonNode key = TestGateway.json(created.body());
        assertTrue(key.path("key").asText().matches("clk_live_[0-9A-Za-z]{32}"));
        String secret = key.path("key").asText();
        assertEquals(200, gw.post("/v1/chat/completions", OK_BODY, "x-api-key", secret).statusCode());

        HttpResponse<String> listed = gw.get("/admin/keys", "Authorization", "Bearer " + TestGateway.MASTER_KEY);
        assertTrue(listed.body().contains(key.path("id").asText()));
        assertTrue(!listed.body().contains(secret), "the list never shows a secret");

        var delete = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl + "/admin/keys/" + key.path("id").asText()))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).DELETE().build();
        assertEquals(200, gw.http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode());
        JsonNode e = error(gw.post("/v1/chat/completions", OK_BODY, "Authorization", "Bearer " + secret), 401);
        assertTrue(e.path("message").asText().contains("revoked"));
    }

    @Test
    void adminApiNeedsTheMasterKey() throws Exception {
        error(gw.post("/admin/keys", "{\"name\":\"x\"}", "Authorization", "Bearer " + gw.apiKey), 401);
        error(gw.post("/admin/keys", "{}", "Authorization", "Bearer " + TestGateway.MASTER_KEY), 400);
    }

    @Test
    void badRequestsGet400NamingTheField() throws Exception {
        assertEquals("model", error(gw.chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400).path("param").asText());
        assertEquals("messages", error(gw.chat("{\"model\":\"mock/echo\"}"), 400).path("param").asText());
        assertEquals("model", error(gw.chat("{\"model\":42,\"messages\":[]}"), 400).path("param").asText());
        assertEquals("messages", error(gw.chat("{\"model\":\"mock/echo\",\"messages\":\"hi\"}"), 400).path("param").asText());
        assertEquals("stream", error(gw.chat("{\"model\":\"mock/echo\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400).path("param").asText());
        assertEquals("messages[0].role", error(gw.chat("{\"model\":\"mock/echo\",\"messages\":[{\"content\":\"hi\"}]}"), 400).path("param").asText());
        assertTrue(error(gw.chat("{\"model\":\"mock/echo\",\"messages\":["), 400).path("message").asText().contains("not valid JSON"));
        error(gw.chat("[1,2]"), 400);
    }

    @Test
    void unknownProviderOrModelGets404ListingWhatExists() throws Exception {
        JsonNode e = error(gw.chat("{\"model\":\"nosuch/model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);
        assertEquals("model_not_found", e.path("code").asText());
        assertTrue(e.path("message").asText().contains("openai") && e.path("message").asText().contains("mock"));
        e = error(gw.chat("{\"model\":\"openai/gpt-0\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);
        assertTrue(e.path("message").asText().contains("openai/gpt-4.1"));
        error(gw.chat("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);
    }

    @Test
    void bodyOverTheLimitGets413() throws Exception {
        String big = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}]}";
        error(gw.chat(big), 413);
    }

    @Test
    void upstreamFailuresMapTo502And504And429() throws Exception {
        String body = "{\"model\":\"ollama/llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        gw.fake.enqueue("ollama", a -> a.json(429, "{\"error\":{\"message\":\"slow down\"}}"));
        HttpResponse<String> limited = gw.chat(body);
        assertTrue(error(limited, 429).path("message").asText().contains("slow down"));
        assertEquals("7", limited.headers().firstValue("retry-after").orElse(""));

        gw.fake.enqueue("ollama", a -> a.json(503, "overloaded"));
        assertTrue(error(gw.chat(body), 502).path("message").asText().contains("overloaded"));

        gw.fake.enqueue("ollama", a -> Thread.sleep(6_000)); // the test gateway's total timeout is 5 s
        assertEquals("upstream_timeout", error(gw.chat(body), 504).path("code").asText());
        assertEquals("llama3", gw.fake.received("ollama").get(0).json().path("model").asText(), "local wildcard model forwarded");
    }

    @Test
    void aRequestTheTargetWireCannotExpressGets400() throws Exception {
        // Gemini takes at most five stop sequences; the caller hears why, in its own format
        JsonNode e = error(gw.chat("{\"model\":\"gemini/gemini-2.5-flash\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400);
        assertTrue(e.path("message").asText().toLowerCase().contains("stop"), e.toString());
        assertTrue(gw.fake.received("gemini").isEmpty(), "nothing went upstream");
    }

    @Test
    void getOnTheChatEndpointIsRefused() throws Exception {
        assertEquals(405, gw.get("/v1/chat/completions", "Authorization", "Bearer " + gw.apiKey).statusCode());
    }

}
