package io.canaryllm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake Google OAuth token endpoint: verifies the JWT bearer assertion's RS256 signature with the service
 * account's public key and its scope, then issues a token. {@link #ISSUED} counts tokens for the whole test JVM:
 * the gateway caches one for its expiry window, so it stays at one. Every test that calls Vertex enqueues this one
 * (public for tests outside this package), or the count is off.
 */
public final class GoogleToken {
    public static final AtomicInteger ISSUED = new AtomicInteger();
    public static final String TOKEN = "ya29.verified";

    private GoogleToken() {}

    public static FakeUpstream.Script endpoint(TestGateway gw) {
        return a -> {
            var received = gw.fake.received("oauth");
            String form = received.get(received.size() - 1).body();
            String assertion = "";
            for (String pair : form.split("&")) {
                if (pair.startsWith("assertion=")) assertion = URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8);
            }
            String[] jwt = assertion.split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(TestGateway.VERTEX_KEY.getPublic());
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            JsonNode claims = TestGateway.json(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
            if (!rs256.verify(Base64.getUrlDecoder().decode(jwt[2])) || !claims.path("scope").asText().contains("cloud-platform")) {
                a.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad signature or scope\"}");
                return;
            }
            ISSUED.incrementAndGet();
            a.json(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        };
    }
}
