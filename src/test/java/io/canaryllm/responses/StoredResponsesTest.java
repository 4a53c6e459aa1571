package io.canaryllm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two turns chained by previous_response_id across a gateway restart; responses are per key; GET and DELETE. */
class StoredResponsesTest {
    private final FakeUpstream fake = TestGateway.get().fake;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(GatewayProcess gw, String method, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + path)).header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConversationContinuesAfterARestart() throws Exception {
        fake.reset();
        Map<String, String> env = Map.of("CANARYLLM_DATA_DIR", Files.createTempDirectory("canaryllm-store").toString());
        String key;
        String firstId;
        try (GatewayProcess gw = GatewayProcess.start(fake, Map.of(), env).awaitReady()) {
            key = gw.newKey();
            fake.enqueue("anthropic", FakeUpstream.anthropicMessage("Hello Ada"));
            var first = gw.post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"My name is Ada\"}",
                    "Authorization", "Bearer " + key);
            assertEquals(200, first.statusCode(), first.body());
            firstId = TestGateway.json(first.body()).path("id").asText();
            assertTrue(firstId.startsWith("resp_"), firstId);
            var got = send(gw, "GET", "/v1/responses/" + firstId, key);
            assertEquals(200, got.statusCode(), got.body());
            assertEquals(firstId, TestGateway.json(got.body()).path("id").asText());

            String other = gw.newKey();
            assertEquals(404, send(gw, "GET", "/v1/responses/" + firstId, other).statusCode(), "another key's response is not yours");
        }

        try (GatewayProcess gw = GatewayProcess.start(fake, Map.of(), env).awaitReady()) {
            fake.enqueue("anthropic", FakeUpstream.anthropicMessage("Your name is Ada."));
            var second = gw.post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"previous_response_id\":\"" + firstId
                    + "\",\"input\":\"What is my name?\"}", "Authorization", "Bearer " + key);
            assertEquals(200, second.statusCode(), second.body());
            JsonNode messages = fake.received("anthropic").get(1).json().path("messages");
            assertEquals(3, messages.size(), messages.toString());
            assertTrue(messages.get(0).toString().contains("My name is Ada"));
            assertEquals("assistant", messages.get(1).path("role").asText());
            assertTrue(messages.get(1).toString().contains("Hello Ada"));
            assertTrue(messages.get(2).toString().contains("What is my name?"));

            var unknown = gw.post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"previous_response_id\":\"resp_nope\",\"input\":\"x\"}",
                    "Authorization", "Bearer " + key);
            assertEquals(404, unknown.statusCode());
            assertEquals("previous_response_id", TestGateway.json(unknown.body()).path("error").path("param").asText());

            assertEquals(200, send(gw, "DELETE", "/v1/responses/" + firstId, key).statusCode());
            assertEquals(404, send(gw, "GET", "/v1/responses/" + firstId, key).statusCode());

            fake.enqueue("anthropic", FakeUpstream.anthropicMessage("not kept"));
            var unstored = gw.post("/v1/responses", "{\"model\":\"anthropic/claude-sonnet-4-5\",\"store\":false,\"input\":\"x\"}",
                    "Authorization", "Bearer " + key);
            String unstoredId = TestGateway.json(unstored.body()).path("id").asText();
            assertEquals(404, send(gw, "GET", "/v1/responses/" + unstoredId, key).statusCode(), "store: false is not kept");
        }
    }
}
