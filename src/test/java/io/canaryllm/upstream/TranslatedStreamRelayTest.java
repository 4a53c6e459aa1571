package io.canaryllm.upstream;

import io.canaryllm.gemini.GoogleToken;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Design section 5 rule 1 on every translated path: each translated frame reaches the client before the upstream
 * sends its next event. The fake upstream sends content event N (after the prefix its wire needs), then waits on a
 * gate that only the client opens, once it has read the translated frame carrying that content. A gateway that
 * reads ahead or buffers (a cached stream, a look-ahead splitter, an encoder that holds a frame back) keeps the gate
 * shut: the wait times out, and the test fails instead of hanging. {@link StreamRelayTest} proves the same for the
 * passthrough path.
 */
class TranslatedStreamRelayTest {
    /** How long the upstream holds an event back for the client; a relaying gateway opens the gate in milliseconds. */
    private static final long GATE_SECONDS = 5;
    /** The content events, as the upstream sends them and as the client's frames carry them (JSON-quoted). */
    private static final String[] WORDS = {"alpha", "bravo", "charlie"};

    private final TestGateway gw = TestGateway.get();

    /** The client protocols: endpoint, headers and request body, and the frame that ends a complete stream. */
    enum Client {
        CHAT("/v1/chat/completions", "data: [DONE]"),
        ANTHROPIC("/v1/messages", "event: message_stop"),
        RESPONSES("/v1/responses", "event: response.completed");

        final String path;
        final String lastFrame;

        Client(String path, String lastFrame) {
            this.path = path;
            this.lastFrame = lastFrame;
        }

        String body(String model) {
            return switch (this) {
                case CHAT -> "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                case ANTHROPIC -> "{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                case RESPONSES -> "{\"model\":\"" + model + "\",\"stream\":true,\"store\":false,\"input\":\"hi\"}";
            };
        }

        String[] headers(String key) {
            return this == ANTHROPIC ? new String[] {"x-api-key", key, "anthropic-version", "2023-06-01"}
                    : new String[] {"Authorization", "Bearer " + key};
        }
    }

    /** How each upstream wire frames a stream: what comes before the content, one content event, what ends it. */
    enum UpstreamWire {
        OPENAI_CHAT {
            @Override
            void content(FakeUpstream.Answer a, int i) throws Exception {
                a.data(chunk("m", i == 0 ? "{\"role\":\"assistant\",\"content\":\"" + WORDS[i] + "\"}" : "{\"content\":\"" + WORDS[i] + "\"}", null));
            }

            @Override
            void end(FakeUpstream.Answer a) throws Exception {
                a.data(chunk("m", "{}", "stop"));
                a.data(FakeUpstream.usageChunk("m", 5, 3));
                a.data("[DONE]");
            }
        },
        ANTHROPIC {
            @Override
            void prefix(FakeUpstream.Answer a) throws Exception {
                a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
                a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            }

            @Override
            void content(FakeUpstream.Answer a, int i) throws Exception {
                a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + WORDS[i] + "\"}}");
            }

            @Override
            void end(FakeUpstream.Answer a) throws Exception {
                a.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                a.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}");
                a.event("message_stop", "{\"type\":\"message_stop\"}");
            }
        },
        /** Gemini and Vertex's Gemini models: no prefix, no end marker; the last chunk carries finishReason. */
        GEMINI {
            @Override
            void content(FakeUpstream.Answer a, int i) throws Exception {
                a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + WORDS[i] + "\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n");
            }

            @Override
            void end(FakeUpstream.Answer a) throws Exception {
                a.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\".\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":4,\"totalTokenCount\":9}}\r\n\r\n");
            }
        };

        void prefix(FakeUpstream.Answer a) throws Exception {}

        abstract void content(FakeUpstream.Answer a, int i) throws Exception;

        abstract void end(FakeUpstream.Answer a) throws Exception;
    }

    /**
     * Every (client protocol × upstream) pair the gateway translates a stream for. Same-protocol pairs pass through
     * (StreamRelayTest); Responses callers on openai/* pass through to /responses, so xai stands for the
     * OpenAI-Chat wire there. Vertex has its own URLs and auth, so its Gemini and Claude models are pairs of their own.
     */
    enum Pair {
        CHAT_TO_ANTHROPIC(Client.CHAT, "anthropic", "anthropic/claude-sonnet-4-5", UpstreamWire.ANTHROPIC),
        CHAT_TO_GEMINI(Client.CHAT, "gemini", "gemini/gemini-2.5-flash", UpstreamWire.GEMINI),
        CHAT_TO_VERTEX_GEMINI(Client.CHAT, "vertex", "vertex/gemini-2.5-pro", UpstreamWire.GEMINI),
        CHAT_TO_VERTEX_CLAUDE(Client.CHAT, "vertex", "vertex/claude-sonnet-4-5", UpstreamWire.ANTHROPIC),
        ANTHROPIC_TO_CHAT(Client.ANTHROPIC, "openai", "openai/gpt-4.1", UpstreamWire.OPENAI_CHAT),
        ANTHROPIC_TO_GEMINI(Client.ANTHROPIC, "gemini", "gemini/gemini-2.5-flash", UpstreamWire.GEMINI),
        ANTHROPIC_TO_VERTEX_GEMINI(Client.ANTHROPIC, "vertex", "vertex/gemini-2.5-pro", UpstreamWire.GEMINI),
        RESPONSES_TO_CHAT(Client.RESPONSES, "xai", "xai/grok-4-1-fast-non-reasoning", UpstreamWire.OPENAI_CHAT),
        RESPONSES_TO_ANTHROPIC(Client.RESPONSES, "anthropic", "anthropic/claude-sonnet-4-5", UpstreamWire.ANTHROPIC),
        RESPONSES_TO_GEMINI(Client.RESPONSES, "gemini", "gemini/gemini-2.5-flash", UpstreamWire.GEMINI),
        RESPONSES_TO_VERTEX_GEMINI(Client.RESPONSES, "vertex", "vertex/gemini-2.5-pro", UpstreamWire.GEMINI),
        RESPONSES_TO_VERTEX_CLAUDE(Client.RESPONSES, "vertex", "vertex/claude-sonnet-4-5", UpstreamWire.ANTHROPIC);

        final Client client;
        final String provider;
        final String model;
        final UpstreamWire wire;

        Pair(Client client, String provider, String model, UpstreamWire wire) {
            this.client = client;
            this.provider = provider;
            this.model = model;
            this.wire = wire;
        }
    }

    @BeforeEach
    void reset() { gw.fake.reset(); }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    // a gateway that never answers must fail the test, not hang the build (the socket read ignores interrupts)
    @Timeout(value = 40, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void eachTranslatedFrameReachesTheClientBeforeTheUpstreamSendsTheNextEvent(Pair pair) throws Exception {
        int gated = WORDS.length - 1; // event N is held back until the client read event N-1's frame, for N = 2, 3
        CountDownLatch[] clientRead = new CountDownLatch[gated];
        for (int i = 0; i < gated; i++) clientRead[i] = new CountDownLatch(1);
        boolean[] releasedByClient = new boolean[gated];
        AtomicInteger upstreamSent = new AtomicInteger(); // content events the upstream has started to write
        int[] sentWhenClientRead = new int[gated];
        long[] writtenAt = new long[WORDS.length]; // for the failure message: how late each frame came
        long[] readAt = new long[WORDS.length];

        if (pair.provider.equals("vertex")) gw.fake.enqueue("oauth", GoogleToken.endpoint(gw)); // unused once a token is cached
        gw.fake.enqueue(pair.provider, a -> {
            a.startSse();
            pair.wire.prefix(a);
            for (int i = 0; i < WORDS.length; i++) {
                if (i > 0) releasedByClient[i - 1] = clientRead[i - 1].await(GATE_SECONDS, TimeUnit.SECONDS);
                upstreamSent.incrementAndGet(); // counted before the write: the client may read the frame before write() returns
                writtenAt[i] = System.nanoTime();
                pair.wire.content(a, i);
            }
            pair.wire.end(a);
        });

        StringBuilder seen = new StringBuilder();
        boolean complete = false;
        try (BufferedReader reader = openStream(pair)) {
            String line;
            while ((line = reader.readLine()) != null) {
                seen.append(line).append('\n');
                for (int i = 0; i < gated; i++) {
                    if (clientRead[i].getCount() > 0 && line.contains("\"" + WORDS[i] + "\"")) {
                        readAt[i] = System.nanoTime();
                        sentWhenClientRead[i] = upstreamSent.get();
                        clientRead[i].countDown();
                    }
                }
                if (line.startsWith(pair.client.lastFrame)) complete = true;
            }
        }

        // The upstream is silent while it waits on a gate, so a frame that comes later than the gateway's stream idle
        // timeout came only because the gateway gave up on the upstream: late, even when it opened the gate.
        long idleMs = Long.getLong("CANARYLLM_STREAM_IDLE_TIMEOUT_MS", GATE_SECONDS * 1000);
        StringBuilder latencies = new StringBuilder();
        for (int i = 0; i < gated; i++) {
            latencies.append(WORDS[i]).append(": ").append(readAt[i] == 0 || writtenAt[i] == 0 ? "never"
                    : (readAt[i] - writtenAt[i]) / 1_000_000 + " ms").append("; ");
        }
        for (int i = 0; i < gated; i++) {
            boolean inTime = releasedByClient[i] && (readAt[i] - writtenAt[i]) / 1_000_000 < idleMs;
            assertTrue(inTime, "the frame of upstream event " + (i + 1) + " (\"" + WORDS[i] + "\") did not reach the client while"
                    + " the upstream held event " + (i + 2) + " back: the gateway buffers (upstream write to client read: " + latencies
                    + "gate " + GATE_SECONDS + " s, gateway idle timeout " + idleMs + " ms)\n" + seen);
            assertEquals(i + 1, sentWhenClientRead[i], "upstream events written when the client read \"" + WORDS[i] + "\"");
        }
        assertTrue(seen.indexOf("\"" + WORDS[2] + "\"") > 0, "the last content event arrives too:\n" + seen);
        assertTrue(complete, "the stream ends with " + pair.client.lastFrame + ":\n" + seen);
        assertEquals(1, gw.fake.received(pair.provider).size(), "one upstream call");
        FakeUpstream.Received call = gw.fake.received(pair.provider).get(0);
        if (pair.wire == UpstreamWire.GEMINI) FakeUpstream.assertGoogleCall(call, true);
        if (pair.model.startsWith("vertex/claude")) assertTrue(call.path().endsWith(":streamRawPredict"), call.path());
    }

    private BufferedReader openStream(Pair pair) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl + pair.client.path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pair.client.body(pair.model)));
        String[] headers = pair.client.headers(gw.apiKey);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        HttpResponse<InputStream> response = gw.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) { body = new String(in.readAllBytes(), StandardCharsets.UTF_8); }
            throw new AssertionError(pair + ": status " + response.statusCode() + ": " + body);
        }
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"), pair.toString());
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }
}
