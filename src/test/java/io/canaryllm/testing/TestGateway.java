package io.canaryllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryllm.CanaryMain;
import org.apache.camel.main.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The real gateway (Camel Main, config/ and routes/ from the repository) started once per test JVM on a random
 * port, with every OpenAI-compatible provider pointed at one {@link FakeUpstream}. Short breaker and timeout
 * settings keep the failure tests quick.
 */
public final class TestGateway {
    public static final String MASTER_KEY = "test-master-key";
    public static final String UPSTREAM_KEY = "sk-upstream-secret";
    /** The Azure OpenAI resource's key, and the deployment azure/gpt-4.1 is served by. */
    public static final String AZURE_KEY = "azure-upstream-secret";
    public static final String AZURE_DEPLOYMENT = "gpt41-prod";
    private static TestGateway instance;
    /** The Vertex service account's key pair: the fake token endpoint checks JWT signatures with its public half. */
    public static final java.security.KeyPair VERTEX_KEY = newKeyPair();
    private static IllegalStateException startFailure;

    public final FakeUpstream fake;
    public final String baseUrl;
    public final String apiKey;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(FakeUpstream fake, String baseUrl, String apiKey) {
        this.fake = fake;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public static synchronized TestGateway get() {
        if (startFailure != null) throw startFailure; // fail every later test class at once, not after another minute
        if (instance == null) {
            try {
                instance = start();
            } catch (Exception e) {
                startFailure = new IllegalStateException("test gateway did not start", e);
                throw startFailure;
            }
        }
        return instance;
    }

    private static TestGateway start() throws Exception {
        FakeUpstream fake = new FakeUpstream();
        System.setProperty("camel.server.port", "0");
        System.setProperty("CANARYLLM_DATA_DIR", Files.createTempDirectory("canaryllm-test").toString());
        System.setProperty("CANARYLLM_MASTER_KEY", MASTER_KEY);
        System.setProperty("CANARYLLM_BREAKER_WAIT_SECONDS", "2");
        System.setProperty("CANARYLLM_BREAKER_MIN_CALLS", "4");
        System.setProperty("CANARYLLM_MAX_BODY_BYTES", Integer.toString(1024 * 1024));
        // short enough for the timeout tests, long enough for a loaded CI machine
        System.setProperty("CANARYLLM_FIRST_BYTE_TIMEOUT_MS", "5000");
        System.setProperty("CANARYLLM_TOTAL_TIMEOUT_MS", "5000");
        System.setProperty("CANARYLLM_STREAM_IDLE_TIMEOUT_MS", "2000");
        // each test scripts every upstream answer: no second attempts or fallbacks unless a test asks for them
        // (RetryAndFallbackTest runs its own gateway process with the defaults)
        System.setProperty("CANARYLLM_RETRIES", "0");
        System.setProperty("CANARYLLM_FALLBACKS", "false");
        for (String p : new String[] {"openai", "xai", "perplexity", "lmstudio", "ollama"}) {
            System.setProperty("CANARYLLM_" + p.toUpperCase() + "_BASE_URL", fake.baseUrl(p));
        }
        System.setProperty("CANARYLLM_OPENAI_API_KEY", UPSTREAM_KEY);
        // Google: AI Studio with a key; Vertex with a service account whose token endpoint is the fake too
        System.setProperty("CANARYLLM_GEMINI_BASE_URL", fake.origin("gemini"));
        System.setProperty("CANARYLLM_GEMINI_API_KEY", UPSTREAM_KEY);
        System.setProperty("CANARYLLM_VERTEX_BASE_URL", fake.origin("vertex"));
        System.setProperty("CANARYLLM_VERTEX_PROJECT", "test-project");
        System.setProperty("CANARYLLM_VERTEX_CREDENTIALS", serviceAccount(fake.origin("oauth") + "/token"));
        // Azure OpenAI: an origin, its own paths, api-version and api-key header (config/catalogue.yaml, AzureOpenAiTest)
        System.setProperty("CANARYLLM_AZURE_BASE_URL", fake.origin("azure"));
        System.setProperty("CANARYLLM_AZURE_API_KEY", AZURE_KEY);
        System.setProperty("CANARYLLM_AZURE_GPT_4_1_DEPLOYMENT", AZURE_DEPLOYMENT);
        // Anthropic's base URL is an origin; the gateway appends /v1/messages
        System.setProperty("CANARYLLM_ANTHROPIC_BASE_URL", fake.origin("anthropic"));
        System.setProperty("CANARYLLM_ANTHROPIC_API_KEY", UPSTREAM_KEY);

        // AWS Bedrock: the fake's /bedrock path checks each SigV4 signature (FakeBedrock); temporary credentials
        System.setProperty("CANARYLLM_BEDROCK_BASE_URL", fake.origin(FakeBedrock.PROVIDER));
        System.setProperty("AWS_REGION", "us-east-1");
        System.setProperty("AWS_ACCESS_KEY_ID", FakeBedrock.ACCESS_KEY);
        System.setProperty("AWS_SECRET_ACCESS_KEY", FakeBedrock.SECRET);
        System.setProperty("AWS_SESSION_TOKEN", FakeBedrock.SESSION_TOKEN);
        FakeBedrock.install(fake);

        Main main = CanaryMain.create();
        int port = CanaryMain.runInBackground(main, "test-gateway", Duration.ofSeconds(60));
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/keys"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tests\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) throw new IllegalStateException("key creation failed: " + created.body());
        String key = new ObjectMapper().readTree(created.body()).path("key").asText();
        return new TestGateway(fake, base, key);
    }

    /** A service-account JSON with a fresh RSA key, as Google issues them. */
    private static java.security.KeyPair newKeyPair() {
        try {
            java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serviceAccount(String tokenUri) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(VERTEX_KEY.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        var json = new ObjectMapper().createObjectNode();
        json.put("type", "service_account").put("project_id", "test-project").put("private_key_id", "k1")
                .put("private_key", pem).put("client_email", "gateway@test-project.iam.gserviceaccount.com")
                .put("token_uri", tokenUri);
        return json.toString();
    }

    /** POSTs JSON to the gateway with the given headers (name, value pairs). */
    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> chat(String body) throws Exception {
        return post("/v1/chat/completions", body, "Authorization", "Bearer " + apiKey);
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(String body) throws Exception { return new ObjectMapper().readTree(body); }

    public static JsonNode jsonUnchecked(String body) {
        try {
            return json(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
