package io.canaryllm.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider with {@code http2} (CANARYLLM_OPENAI_HTTP2=true) on a fake that speaks h2c: the calls go over HTTP/2
 * (the fake records each request's protocol), streams are relayed byte for byte, many streams share a few
 * connections, and every upstream failure reaches the caller exactly as it does over HTTP/1.1 (a second gateway,
 * configured alike with the default, on the same fake).
 */
class Http2UpstreamTest {
    private static final String STREAM = "{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String PLAIN = "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static FakeUpstream fake;
    private static GatewayProcess gw, gw1;
    private static String key, key1;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeUpstream(true);
        // as the shared test gateway: no second attempts or fallbacks, so each failure shows as it is; a breaker
        // that stays closed through the failures scripted here
        Map<String, String> env = Map.of(
                "CANARYLLM_OPENAI_API_KEY", TestGateway.UPSTREAM_KEY,
                "CANARYLLM_RETRIES", "0",
                "CANARYLLM_FALLBACKS", "false",
                "CANARYLLM_BREAKER_MIN_CALLS", "1000");
        Map<String, String> h2 = new java.util.HashMap<>(env);
        h2.put("CANARYLLM_OPENAI_HTTP2", "true");
        gw = GatewayProcess.start(fake, Map.of(), h2);
        gw1 = GatewayProcess.start(fake, Map.of(), env);
        gw.awaitReady();
        gw1.awaitReady();
        key = gw.newKey();
        key1 = gw1.newKey();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
        if (gw1 != null) gw1.close();
        if (fake != null) fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aPlainCallGoesOverHttp2WithoutHopByHopHeaders() throws Exception {
        fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "over h2"));
        HttpResponse<String> r = post(gw.baseUrl, key, PLAIN);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("over h2"), r.body());
        FakeUpstream.Received up = fake.received("openai").get(0);
        assertEquals("HTTP/2.0", up.protocol());
        assertEquals("Bearer " + TestGateway.UPSTREAM_KEY, up.headers().get("authorization"));
        for (String hopByHop : List.of("connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection")) {
            assertFalse(up.headers().containsKey(hopByHop), hopByHop + " sent over HTTP/2: " + up.headers());
        }
    }

    @Test
    void withTheSettingOffTheUpstreamStillSeesHttp11() throws Exception {
        fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "over h1"));
        assertEquals(200, post(gw1.baseUrl, key1, PLAIN).statusCode());
        assertEquals("HTTP/1.1", fake.received("openai").get(0).protocol(), "the fake speaks both; the gateway chose");
    }

    @Test
    void aStreamIsRelayedByteForByteInOrder() throws Exception {
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sent.append("data: ").append(chunk("gpt-4.1", "{\"content\":\"piece" + i + " \"}", i == 39 ? "stop" : null)).append("\n\n");
        }
        sent.append("data: [DONE]\n\n");
        fake.enqueue("openai", a -> {
            a.startSse();
            // in uneven pieces, some split inside an event, with pauses: order and bytes must survive the framing
            String all = sent.toString();
            for (int at = 0, step = 1; at < all.length(); at += step, step = step * 7 % 113 + 1) {
                a.raw(all.substring(at, Math.min(all.length(), at + step)));
                if (at % 5 == 0) Thread.sleep(1);
            }
        });
        HttpResponse<InputStream> r = http.send(request(gw.baseUrl, key, STREAM), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        String relayed;
        try (InputStream in = r.body()) {
            relayed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(sent.toString(), relayed);
        assertEquals("HTTP/2.0", fake.received("openai").get(0).protocol());
    }

    @Test
    void aToolRoundTripWithTheOpenAiSdkGoesOverHttp2() {
        fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":null}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"id\":\"call_h2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null));
            a.data(chunk("gpt-4.1", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}", null));
            a.data(chunk("gpt-4.1", "{}", "tool_calls"));
            a.data("[DONE]");
        }, FakeUpstream.completion("gpt-4.1", "It is 3 degrees in Oslo."));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl + "/v1").apiKey(key).maxRetries(0).build();
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").description("Weather by city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("openai/gpt-4.1").addUserMessage("Weather in Oslo?").addFunctionTool(weather);
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion first = acc.chatCompletion();
        ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertEquals("call_h2", call.asFunction().id());
        assertEquals("{\"city\":\"Oslo\"}", call.asFunction().function().arguments());

        ChatCompletion second = client.chat().completions().create(params
                .addMessage(first.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_h2").content("3°C").build())
                .build());
        assertEquals("It is 3 degrees in Oslo.", second.choices().get(0).message().content().orElseThrow());
        List<FakeUpstream.Received> up = fake.received("openai");
        assertEquals(2, up.size());
        up.forEach(r -> assertEquals("HTTP/2.0", r.protocol()));
        assertEquals("call_h2", up.get(1).json().path("messages").get(2).path("tool_call_id").asText());
    }

    @Test
    void aStreamResetMidwayEndsLikeAConnectionResetOverHttp11() throws Exception {
        FakeUpstream.Script resetAfterOne = a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"partial\"}", null));
            // midway: a reset in the same read as the first bytes drops them over HTTP/2 (Jetty fails the response
            // with what it has not handed on yet), and the call fails before its first byte instead (502)
            Thread.sleep(200);
            a.reset(); // HTTP/2: RST_STREAM; HTTP/1.1: the connection closed inside the chunked body
        };
        fake.enqueue("openai", resetAfterOne, resetAfterOne);
        List<String> overH2 = streamData(gw.baseUrl, key), overH1 = streamData(gw1.baseUrl, key1);
        assertTrue(overH2.get(0).contains("partial"), overH2.toString());
        assertEquals(errorOf(overH1), errorOf(overH2));
        assertTrue(overH2.stream().noneMatch(l -> l.contains("[DONE]")), "a broken stream never looks finished");
    }

    @Test
    void aResetInTheSameReadAsTheFirstBytesIsAnErrorNotAHang() throws Exception {
        fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"partial\"}", null));
            a.reset();
        });
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(request(gw.baseUrl, key, STREAM), HttpResponse.BodyHandlers.ofString());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3_000, "answered at once");
        // either the partial stream and its error event, or (the bytes lost with the reset) a 502 before any byte
        if (r.statusCode() == 200) assertTrue(r.body().contains("data: {\"error\":"), r.body());
        else assertEquals("server_error/upstream_unreachable", errorShape(r.body()));
    }

    @Test
    void aConnectionDroppedMidStreamEndsLikeOverHttp11() throws Exception {
        FakeUpstream.Script dropAfterOne = a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"partial\"}", null));
            a.dropConnection();
        };
        fake.enqueue("openai", dropAfterOne, dropAfterOne);
        List<String> overH2 = streamData(gw.baseUrl, key), overH1 = streamData(gw1.baseUrl, key1);
        assertTrue(overH2.get(0).contains("partial"), overH2.toString());
        assertEquals(errorOf(overH1), errorOf(overH2));
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsTheSameErrorAsOverHttp11() throws Exception {
        FakeUpstream.Script drop = FakeUpstream.Answer::dropConnection;
        fake.enqueue("openai", drop, drop);
        HttpResponse<String> overH2 = post(gw.baseUrl, key, PLAIN), overH1 = post(gw1.baseUrl, key1, PLAIN);
        assertEquals(overH1.statusCode(), overH2.statusCode(), overH2.body());
        assertEquals(errorShape(overH1.body()), errorShape(overH2.body()));
    }

    @Test
    void upstream429And5xxAreAnsweredAsOverHttp11() throws Exception {
        for (int status : new int[] {429, 500, 503}) {
            FakeUpstream.Script answer = a -> a.status(status, status == 429 ? "3" : null,
                    "{\"error\":{\"message\":\"upstream says " + status + "\",\"type\":\"server_error\"}}");
            fake.enqueue("openai", answer, answer);
            HttpResponse<String> overH2 = post(gw.baseUrl, key, PLAIN), overH1 = post(gw1.baseUrl, key1, PLAIN);
            assertEquals(overH1.statusCode(), overH2.statusCode(), status + ": " + overH2.body() + " vs " + overH1.body());
            assertEquals(overH1.body(), overH2.body(), "status " + status);
            assertEquals(overH1.headers().firstValue("retry-after"), overH2.headers().firstValue("retry-after"));
        }
    }

    @Test
    void twoHundredConcurrentStreamsShareAFewConnections() throws Exception {
        int n = 200;
        CountDownLatch allOpen = new CountDownLatch(n);
        fake.always("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"first\"}", null));
            allOpen.countDown();
            // every stream stays open until all of them are: they are concurrent on the upstream side
            allOpen.await(20, TimeUnit.SECONDS);
            a.data(chunk("gpt-4.1", "{\"content\":\" last\"}", "stop"));
            a.data("[DONE]");
        });
        int before = fake.connectionsAccepted();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(http.sendAsync(request(gw.baseUrl, key, STREAM), HttpResponse.BodyHandlers.ofString()));
        }
        AtomicInteger complete = new AtomicInteger();
        String broken = null;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200 && r.body().contains("first") && r.body().contains(" last") && r.body().endsWith("data: [DONE]\n\n")) {
                complete.incrementAndGet();
            } else {
                broken = r.statusCode() + " " + r.body();
            }
        }
        assertEquals(n, complete.get(), "streams relayed whole; one that was not: " + broken);
        assertEquals(0, allOpen.getCount(), "all streams were open at once");
        int opened = fake.connectionsAccepted() - before;
        // Jetty's server allows 128 streams per connection: 2 needed, a few more tolerated (one per burst)
        assertTrue(opened <= 4, n + " concurrent streams opened " + opened + " upstream connections");
        fake.received("openai").forEach(r -> assertEquals("HTTP/2.0", r.protocol()));
    }

    // ---- helpers

    private static HttpRequest request(String base, String apiKey, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> post(String base, String apiKey, String body) throws Exception {
        return http.send(request(base, apiKey, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code data:} lines of a streamed call. */
    private static List<String> streamData(String base, String apiKey) throws Exception {
        HttpResponse<String> r = http.send(request(base, apiKey, STREAM), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<String> data = new ArrayList<>();
        for (String line : r.body().split("\n")) if (line.startsWith("data: ")) data.add(line);
        return data;
    }

    /** The error event that ends a broken stream: its type and code (the message names the cause). */
    private static String errorOf(List<String> data) throws Exception {
        String last = data.get(data.size() - 1);
        assertTrue(last.startsWith("data: {\"error\":"), last);
        return errorShape(last.substring("data: ".length()));
    }

    private static String errorShape(String body) throws Exception {
        JsonNode error = TestGateway.json(body).path("error");
        assertNotNull(error);
        return error.path("type").asText() + "/" + error.path("code").asText();
    }
}
