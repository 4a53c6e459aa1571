package io.canaryllm.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guessing the master key on the admin API is limited as at the console's sign-in: ten wrong keys a minute from one
 * address, then 429 for every master-key call from it, the right key included (else the lock-out would not stop the
 * guessing). The two doors count apart (ConsoleExpiryTest has the sign-in's side). Its own gateway: the lock-out would
 * refuse the shared one's other tests, which all come from 127.0.0.1.
 */
class MasterKeyGuessingTest {
    private static GatewayProcess gw;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayProcess.start(TestGateway.get().fake, Map.of());
        gw.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
    }

    @Test
    void tenWrongMasterKeysLockTheAddressOutOfTheAdminApi() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertEquals(401, get("/admin/keys", null).statusCode(), "no key at all is not a guess");
        }
        assertEquals(200, get("/admin/keys", TestGateway.MASTER_KEY).statusCode(), "the right key, before any wrong one");

        for (int i = 0; i < 10; i++) {
            assertEquals(401, get("/admin/keys", "not-the-master-key-" + i).statusCode(), "wrong key " + (i + 1));
        }
        HttpResponse<String> locked = get("/admin/keys", "one-more-guess");
        assertEquals(429, locked.statusCode(), locked.body());
        long retryAfter = Long.parseLong(locked.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "retry-after " + retryAfter);
        JsonNode error = TestGateway.json(locked.body()).path("error");
        assertEquals("too_many_sign_ins", error.path("code").asText(), locked.body());

        assertEquals(429, get("/admin/keys", TestGateway.MASTER_KEY).statusCode(), "the right key too, while locked out");
        assertEquals(200, gw.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}").statusCode(),
                "the console's sign-in counts apart: it stays open");
    }

    private static HttpResponse<String> get(String path, String masterKey) throws Exception {
        return masterKey == null ? gw.get(path) : gw.get(path, "Authorization", "Bearer " + masterKey);
    }
}
