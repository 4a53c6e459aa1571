package io.canaryllm.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.core.Json;
import io.canaryllm.core.Protocol;
import io.canaryllm.testing.FakeBedrock;
import io.canaryllm.testing.Golden;
import io.canaryllm.testing.Translators;
import io.canaryllm.wire.ClientRequest;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TokenEstimate;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Golden files for the Bedrock upstream and each client wire, under {@code golden/bedrock-to-<client>/}: the client
 * request and the Converse request it becomes, a Converse answer and the client's answer, and a ConverseStream and the
 * client's stream. The stream fixture ({@code stream.events.json}) lists the events readably; the test encodes them
 * as AWS event-stream frames with the event-stream library (FakeBedrock) and feeds the bytes in random small pieces,
 * so a frame split anywhere must decode the same. {@code -Dgolden.update=true} rewrites the expected files.
 */
class BedrockGoldenTest {

    enum Pair {
        BEDROCK_TO_CHAT("bedrock-to-chat", Protocol.OPENAI_CHAT, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", new ModelLimits(64000, true)),
        BEDROCK_TO_ANTHROPIC("bedrock-to-anthropic", Protocol.ANTHROPIC, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", new ModelLimits(64000, true)),
        BEDROCK_TO_RESPONSES("bedrock-to-responses", Protocol.OPENAI_RESPONSES, "amazon.nova-pro-v1:0", new ModelLimits(10000, false));

        final String dir;
        final Protocol client;
        final String upstreamModel;
        final ModelLimits limits;

        Pair(String dir, Protocol client, String upstreamModel, ModelLimits limits) {
            this.dir = dir;
            this.client = client;
            this.upstreamModel = upstreamModel;
            this.limits = limits;
        }

        Path path(String file) { return Golden.ROOT.resolve(dir).resolve(file); }

        JsonNode request() throws Exception { return Json.MAPPER.readTree(Golden.read(path("request.json"))); }

        ClientRequest decoded() throws Exception {
            return client == Protocol.OPENAI_RESPONSES ? ResponsesRequests.decode(request()) : Wires.of(client).requestToCanonical(request());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void requests(Pair pair) throws Exception {
        ChatRequest canonical = pair.decoded().canonical();
        JsonNode upstream = Wires.of(Protocol.BEDROCK).requestFromCanonical(canonical, pair.upstreamModel, pair.limits);
        compareJson(pair.path("expected-upstream-request.json"), upstream);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void answers(Pair pair) throws Exception {
        ChatResponse canonical = Wires.of(Protocol.BEDROCK).responseToCanonical(Json.MAPPER.readTree(Golden.read(pair.path("response.json"))));
        JsonNode client = Wires.of(pair.client).responseFromCanonical(canonical, pair.decoded(), "client-model", Protocol.BEDROCK);
        compareJson(pair.path("expected-response.json"), client);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pair.class)
    void streams(Pair pair) throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (JsonNode e : Json.MAPPER.readTree(Golden.read(pair.path("stream.events.json")))) {
            frames.writeBytes(FakeBedrock.event(e.path("event").asText(), Json.MAPPER.writeValueAsString(e.path("data"))));
        }
        byte[] upstream = frames.toByteArray();
        ClientRequest decoded = pair.decoded();
        for (long seed = 0; seed < 5; seed++) {
            StreamTranslator t = pair.client == Protocol.OPENAI_RESPONSES
                    ? Translators.ofResponses(Protocol.BEDROCK, "client-model", decoded)
                    : Translators.of(Protocol.BEDROCK, pair.client, OpenAiChatRequests.wantsUsage(pair.request()), "client-model",
                            TokenEstimate.of(decoded.canonical()));
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
            if (pair.client == Protocol.OPENAI_RESPONSES) ResponsesStreamChecks.check(out);
            Golden.compareText(pair.path("expected.sse"), normalize(out));
        }
    }

    /** Ids the client encoders make (Converse names no answer id) and timestamps become placeholders. */
    private static String normalize(String s) {
        return Golden.normalize(s.replaceAll("\\b(resp|msg|fc|ctc|rs)_[0-9a-f]{48}\\b", "$1_GENERATED")
                .replaceAll("\"created_at\"\\s*:\\s*\\d+", "\"created_at\":0"));
    }

    private static void compareJson(Path expected, JsonNode actual) throws Exception {
        Golden.compareJson(expected, normalize(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual)) + "\n");
    }
}
