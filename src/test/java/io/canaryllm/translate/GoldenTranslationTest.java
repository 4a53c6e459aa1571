package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.testing.Golden;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TokenEstimate;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;


/**
 * Golden files per (upstream wire × client wire) under {@code golden/<upstream>-to-<client>/}: the client request
 * and the upstream request it becomes, the upstream answer and the client answer, the upstream stream and the client
 * stream. Run with {@code -Dgolden.update=true} to rewrite the expected files, then review the diff.
 */
class GoldenTranslationTest {

    /** Each pair: direction and the model limits of its upstream. */
    enum Pair {
        CHAT_TO_ANTHROPIC("chat-to-anthropic", Protocol.OPENAI_CHAT, Protocol.ANTHROPIC,
                "gpt-4.1", new ModelLimits(16384, false)),
        ANTHROPIC_TO_CHAT("anthropic-to-chat", Protocol.ANTHROPIC, Protocol.OPENAI_CHAT,
                "claude-sonnet-4-5", new ModelLimits(64000, true)),
        GEMINI_TO_CHAT("gemini-to-chat", Protocol.GEMINI, Protocol.OPENAI_CHAT,
                "gemini-2.5-flash", new ModelLimits(65536, true)),
        GEMINI_TO_ANTHROPIC("gemini-to-anthropic", Protocol.GEMINI, Protocol.ANTHROPIC,
                "gemini-2.5-flash", new ModelLimits(65536, true));

        final String dir;
        final Protocol upstream;
        final Protocol client;
        final String upstreamModel;
        final ModelLimits limits;

        Pair(String dir, Protocol upstream, Protocol client, String upstreamModel, ModelLimits limits) {
            this.dir = dir;
            this.upstream = upstream;
            this.client = client;
            this.upstreamModel = upstreamModel;
            this.limits = limits;
        }

        Path path(String file) { return Golden.ROOT.resolve(dir).resolve(file); }
    }

    static Stream<Pair> pairs() { return Stream.of(Pair.values()); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldTranslateRequestToGolden(Pair pair) throws Exception {
        JsonNode clientBody = Json.MAPPER.readTree(Golden.read(pair.path("request.json")));
        ChatRequest canonical = clientToCanonical(pair, clientBody);
        JsonNode upstream = Wires.of(pair.upstream).requestFromCanonical(canonical, pair.upstreamModel, pair.limits);
        compareJson(pair, pair.path("expected-upstream-request.json"), upstream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldTranslateResponseToGolden(Pair pair) throws Exception {
        JsonNode upstreamBody = Json.MAPPER.readTree(Golden.read(pair.path("response.json")));
        var canonical = Wires.of(pair.upstream).responseToCanonical(upstreamBody);
        // a Responses client's decoded request matters for custom tools: ResponsesGoldenTest covers it
        JsonNode client = Wires.of(pair.client).responseFromCanonical(canonical, null, "client-model", pair.upstream);
        compareJson(pair, pair.path("expected-response.json"), client);
    }

    /** The stream is fed in random small pieces: framing must not depend on how the network cut the bytes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void shouldTranslateStreamToGolden(Pair pair) throws Exception {
        JsonNode clientBody = Json.MAPPER.readTree(Golden.read(pair.path("request.json")));
        ChatRequest canonical = clientToCanonical(pair, clientBody);
        boolean wantsUsage = OpenAiChatRequests.wantsUsage(clientBody);
        byte[] upstream = Golden.read(pair.path("stream.sse")).getBytes(StandardCharsets.UTF_8);

        for (long seed = 0; seed < 5; seed++) {
            StreamTranslator t = Translators.of(pair.upstream, pair.client, wantsUsage, "client-model", TokenEstimate.of(canonical));
            StringBuilder out = new StringBuilder();
            Random random = new Random(seed);
            int pos = 0;
            java.io.ByteArrayOutputStream client = new java.io.ByteArrayOutputStream();
            while (pos < upstream.length) {
                int n = Math.min(upstream.length - pos, 1 + random.nextInt(seed == 0 ? upstream.length : 40));
                byte[] piece = java.util.Arrays.copyOfRange(upstream, pos, pos + n);
                client.writeBytes(t.onUpstreamBytes(piece));
                pos += n;
            }
            client.writeBytes(t.onUpstreamEnd());
            out.append(client.toString(StandardCharsets.UTF_8));
            Golden.compareText(pair.path("expected.sse"), normalize(pair, out.toString()));
        }
    }

    private static ChatRequest clientToCanonical(Pair pair, JsonNode body) {
        return Wires.of(pair.client).requestToCanonical(body).canonical();
    }

    /** Gemini sends no tool-call ids: the gateway makes them up (5.12), so they are compared as placeholders. */
    private static String normalize(Pair pair, String s) {
        String out = Golden.normalize(s);
        return pair.upstream == Protocol.GEMINI ? out.replaceAll("call_[A-Za-z0-9]{24}", "call_GENERATED") : out;
    }

    private static void compareJson(Pair pair, Path expected, JsonNode actual) throws Exception {
        Golden.compareJson(expected, normalize(pair, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual)) + "\n");
    }
}
