package io.canaryllm.auth;

import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keys count only in the request's headers. platform-http copies query parameters into the Camel headers, so a key
 * read from those was also accepted as {@code ?x-api-key=...} or {@code ?Authorization=Bearer ...}: a key in a URL
 * ends up in proxy and access logs and browser history.
 */
class KeysOnlyInHeadersTest {
    private final TestGateway gw = TestGateway.get();
    private static final String CHAT = "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void anApiKeyInTheQueryIsNotAccepted() throws Exception {
        assertEquals(200, gw.chat(CHAT).statusCode(), "the key works in its header");
        HttpResponse<String> asApiKey = gw.post("/v1/chat/completions?x-api-key=" + gw.apiKey, CHAT);
        assertEquals(401, asApiKey.statusCode(), asApiKey.body());
        HttpResponse<String> asBearer = gw.post("/v1/chat/completions?Authorization="
                + URLEncoder.encode("Bearer " + gw.apiKey, StandardCharsets.UTF_8), CHAT);
        assertEquals(401, asBearer.statusCode(), asBearer.body());
    }

    @Test
    void theMasterKeyInTheQueryIsNotAccepted() throws Exception {
        assertEquals(200, gw.get("/admin/keys", "Authorization", "Bearer " + TestGateway.MASTER_KEY).statusCode());
        HttpResponse<String> r = gw.get("/admin/keys?Authorization="
                + URLEncoder.encode("Bearer " + TestGateway.MASTER_KEY, StandardCharsets.UTF_8));
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(401, gw.get("/admin/keys?x-api-key=" + TestGateway.MASTER_KEY).statusCode());
    }
}
