package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.testing.Golden;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import io.canaryllm.wire.openai.responses.ResponsesResponses;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;


/**
 * Golden files for a Responses client (a Codex-shaped request: developer messages, items with ids, a namespace tool,
 * the freeform apply_patch, a built-in tool, store:false, include, prompt_cache_key) on each upstream wire, under
 * {@code golden/<upstream>-to-responses/}: the request → what reaches the upstream; the upstream answer → what the
 * client receives; the upstream stream (fed in random pieces) → the client stream, which must also pass
 * {@link ResponsesStreamChecks}. Run with {@code -Dgolden.update=true} to rewrite the expected files, then review.
 */
class ResponsesGoldenTest {

    enum Pair {
        CHAT_TO_RESPONSES("chat-to-responses", Protocol.OPENAI_CHAT, "gpt-4.1", new ModelLimits(16384, false)),
        ANTHROPIC_TO_RESPONSES("anthropic-to-responses", Protocol.ANTHROPIC, "claude-sonnet-4-5", new ModelLimits(64000, true)),
        GEMINI_TO_RESPONSES("gemini-to-responses", Protocol.GEMINI, "gemini-2.5-flash", new ModelLimits(65536, true));

        final String dir;
        final Protocol upstream;
        final String upstreamModel;
        final ModelLimits limits;

        Pair(String dir, Protocol upstream, String upstreamModel, ModelLimits limits) {
            this.dir = dir;
            this.upstream = upstream;
            this.upstreamModel = upstreamModel;
            this.limits = limits;
        }

        Path path(String file) { return Golden.ROOT.resolve(dir).resolve(file); }

        ResponsesRequests.Decoded decoded() throws Exception {
            return ResponsesRequests.decode(Json.MAPPER.readTree(Golden.read(path("request.json"))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void shouldTranslateRequestToGolden(Pair pair) throws Exception {
        ResponsesRequests.Decoded decoded = pair.decoded();
        JsonNode upstream = Wires.of(pair.upstream).requestFromCanonical(decoded.request(), pair.upstreamModel, pair.limits);
        compareJson(pair, pair.path("expected-upstream-request.json"), upstream);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void shouldTranslateResponseToGolden(Pair pair) throws Exception {
        JsonNode upstreamBody = Json.MAPPER.readTree(Golden.read(pair.path("response.json")));
        ChatResponse canonical = Wires.of(pair.upstream).responseToCanonical(upstreamBody);
        compareJson(pair, pair.path("expected-response.json"), ResponsesResponses.fromCanonical(canonical, "client-model", pair.decoded(), pair.upstream));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void shouldTranslateStreamToGolden(Pair pair) throws Exception {
        ResponsesRequests.Decoded decoded = pair.decoded();
        byte[] upstream = Golden.read(pair.path("stream.sse")).getBytes(StandardCharsets.UTF_8);
        for (long seed = 0; seed < 5; seed++) {
            StreamTranslator t = Translators.ofResponses(pair.upstream, "client-model", decoded);
            Random random = new Random(seed);
            ByteArrayOutputStream client = new ByteArrayOutputStream();
            int pos = 0;
            while (pos < upstream.length) {
                int n = Math.min(upstream.length - pos, 1 + random.nextInt(seed == 0 ? upstream.length : 40));
                client.writeBytes(t.onUpstreamBytes(Arrays.copyOfRange(upstream, pos, pos + n)));
                pos += n;
            }
            client.writeBytes(t.onUpstreamEnd());
            String out = client.toString(StandardCharsets.UTF_8);
            ResponsesStreamChecks.check(out);
            Golden.compareText(pair.path("expected.sse"), normalize(pair, out));
        }
    }

    /** Generated ids (5.12) and timestamps become placeholders; Gemini's calls get gateway-made ids. */
    static String normalize(Pair pair, String s) {
        String out = s.replaceAll("\\b(resp|msg|fc|ctc|rs)_[0-9a-f]{48}\\b", "$1_GENERATED")
                .replaceAll("\"created_at\"\\s*:\\s*\\d+", "\"created_at\":0");
        out = Golden.normalize(out);
        return pair.upstream == Protocol.GEMINI ? out.replaceAll("call_[A-Za-z0-9]{24}", "call_GENERATED") : out;
    }

    private static void compareJson(Pair pair, Path expected, JsonNode actual) throws Exception {
        Golden.compareJson(expected, normalize(pair, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual)) + "\n");
    }
}
