package io.canaryllm.console;

import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What needs its own gateway: a session lifetime of seconds (CANARYLLM_CONSOLE_IDLE_SECONDS and _MAX_SECONDS) and
 * the sign-in limit, whose failures would lock the shared gateway's console for a minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the lock-out test last: it blocks this address's sign-ins
class ConsoleExpiryTest {
    private static GatewayProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayProcess.start(TestGateway.get().fake, Map.of(),
                Map.of("CANARYLLM_CONSOLE_IDLE_SECONDS", "2", "CANARYLLM_CONSOLE_MAX_SECONDS", "4")).awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) gateway.close();
    }

    private String[] signIn() throws Exception {
        HttpResponse<String> r = gateway.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.contains("Max-Age=4"), "the cookie lives as long as the session may: " + cookie);
        return new String[] {cookie.substring(0, cookie.indexOf(';')), TestGateway.json(r.body()).path("csrf").asText()};
    }

    private int keys(String[] session) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl + "/admin/keys"))
                .header("Cookie", session[0]).header("X-CSRF-Token", session[1]).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    @Order(1)
    void anIdleSessionExpiresAndABusyOneEndsAtItsAbsoluteLimit() throws Exception {
        String[] idle = signIn();
        assertEquals(200, keys(idle));
        Thread.sleep(2_500);
        assertEquals(401, keys(idle), "2 s idle ended it");

        String[] busy = signIn();
        long signedIn = System.currentTimeMillis();
        while (System.currentTimeMillis() - signedIn < 3_300) {
            assertEquals(200, keys(busy), "a request every second keeps it alive within 4 s");
            Thread.sleep(1_000);
        }
        Thread.sleep(Math.max(0, 4_300 - (System.currentTimeMillis() - signedIn)));
        assertEquals(401, keys(busy), "4 s after sign-in, busy or not");
    }

    @Test
    @Order(2)
    void tenWrongKeysInAMinuteLockTheAddressOutEvenForTheRightKey() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(401, gateway.post("/console/login", "{\"key\":\"guess-" + i + "\"}").statusCode());
        }
        HttpResponse<String> locked = gateway.post("/console/login", "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}");
        assertEquals(429, locked.statusCode(), locked.body());
        long retry = Long.parseLong(locked.headers().firstValue("retry-after").orElse("0"));
        assertTrue(retry >= 1 && retry <= 61, "retry-after " + retry);
        // the admin API with the master key itself is not the console's sign-in: it stays open
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl + "/admin/keys"))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
