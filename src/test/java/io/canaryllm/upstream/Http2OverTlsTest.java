package io.canaryllm.upstream;

import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http2} on an https base URL, as against the real providers: ALPN offers h2 and http/1.1, a server that speaks
 * h2 gets HTTP/2, one that does not (no ALPN) gets HTTP/1.1. The fakes use a certificate made here for 127.0.0.1,
 * which the gateway trusts through the JVM's trust store setting.
 */
class Http2OverTlsTest {
    private static final String PASSWORD = "changeit";
    private static FakeUpstream withH2, withoutH2;
    private static GatewayProcess gw;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("canaryllm-tls");
        Path keyStore = dir.resolve("fake.p12"), trustStore = dir.resolve("trust.p12"), cert = dir.resolve("fake.pem");
        keytool("-genkeypair", "-alias", "fake", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "fake", "-file", cert.toString(), "-keystore", keyStore.toString(),
                "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "fake", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        withH2 = FakeUpstream.tls(keyStore, PASSWORD, true);
        withoutH2 = FakeUpstream.tls(keyStore, PASSWORD, false);
        gw = GatewayProcess.start(withH2, Map.of(), Map.of(
                "CANARYLLM_OPENAI_HTTP2", "true",
                "CANARYLLM_XAI_HTTP2", "true",
                "CANARYLLM_XAI_BASE_URL", withoutH2.baseUrl("xai"),
                "CANARYLLM_RETRIES", "0",
                "CANARYLLM_FALLBACKS", "false",
                "JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD
                        + " -Djavax.net.ssl.trustStoreType=PKCS12")).awaitReady();
        key = gw.newKey();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
        if (withH2 != null) withH2.close();
        if (withoutH2 != null) withoutH2.close();
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

    @Test
    void aProviderThatSpeaksH2IsCalledOverHttp2() throws Exception {
        withH2.enqueue("openai", FakeUpstream.completion("gpt-4.1", "h2 by ALPN"), a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"streamed by ALPN\"}", "stop"));
            a.data("[DONE]");
        });
        HttpResponse<String> plain = chat("openai/gpt-4.1", false);
        assertEquals(200, plain.statusCode(), plain.body() + "\n" + gw.output());
        assertTrue(plain.body().contains("h2 by ALPN"), plain.body());
        HttpResponse<String> stream = chat("openai/gpt-4.1", true);
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.body().contains("streamed by ALPN") && stream.body().endsWith("data: [DONE]\n\n"), stream.body());
        withH2.received("openai").forEach(r -> assertEquals("HTTP/2.0", r.protocol()));
        assertEquals(2, withH2.received("openai").size());
    }

    @Test
    void aProviderWithoutH2IsCalledOverHttp11() throws Exception {
        withoutH2.enqueue("xai", FakeUpstream.completion("grok-4-1-fast-non-reasoning", "plain old HTTP/1.1"));
        HttpResponse<String> r = chat("xai/grok-4-1-fast-non-reasoning", false);
        assertEquals(200, r.statusCode(), r.body() + "\n" + gw.output());
        assertTrue(r.body().contains("plain old HTTP/1.1"), r.body());
        assertEquals("HTTP/1.1", withoutH2.received("xai").get(0).protocol());
    }

    private static HttpResponse<String> chat(String model, boolean stream) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(gw.baseUrl + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
