package io.canaryllm.upstream;

import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.canaryllm.testing.FakeUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay forwards each upstream event as it arrives, keeps [DONE], and ends a broken stream with an error event. */
class StreamRelayTest {
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void reset() { gw.fake.reset(); }

    @Test
    void eventOneReachesTheClientBeforeTheUpstreamSendsEventTwo() throws Exception {
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        boolean[] upstreamWasReleasedByClient = new boolean[1];
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"one\"}", null));
            // event 2 only goes out once the client has read event 1 (or after 5 s, which fails the test)
            upstreamWasReleasedByClient[0] = clientSawFirst.await(5, TimeUnit.SECONDS);
            a.data(chunk("gpt-4.1", "{\"content\":\" two\"}", "stop"));
            a.data("[DONE]");
        });
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = openStream("{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    lines.add(line);
                    if (lines.size() == 1) clientSawFirst.countDown();
                }
            }
        }
        assertTrue(upstreamWasReleasedByClient[0], "event 1 must reach the client while the upstream holds event 2");
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("\"one\""));
        assertEquals("data: [DONE]", lines.get(2));
    }

    @Test
    void upstreamResetMidStreamEndsWithAnOpenAiErrorEvent() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"partial\"}", null));
            a.reset();
        });
        List<String> data = readAll("{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(data.get(0).contains("partial"));
        String last = data.get(data.size() - 1);
        assertTrue(last.startsWith("data: {\"error\":"), last);
        assertTrue(data.stream().noneMatch(l -> l.contains("[DONE]")), "a broken stream never looks finished");
    }

    @Test
    void streamClosedWithoutDoneIsReportedAsTruncated() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"cut\"}", null));
        });
        List<String> data = readAll("{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(data.get(data.size() - 1).contains("upstream_stream_truncated"), data.toString());
    }

    @Test
    void silentUpstreamMidStreamEndsWithATimeoutErrorEvent() throws Exception {
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            a.data(chunk("gpt-4.1", "{\"role\":\"assistant\",\"content\":\"wait\"}", null));
            Thread.sleep(3_000); // the test gateway's stream idle timeout is 2 s
        });
        List<String> data = readAll("{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(data.get(data.size() - 1).contains("upstream_timeout"), data.toString());
    }

    @Test
    void clientDisconnectAbortsTheUpstreamWithinOneSecond() throws Exception {
        java.util.concurrent.atomic.AtomicLong upstreamSawClose = new java.util.concurrent.atomic.AtomicLong();
        gw.fake.enqueue("openai", a -> {
            a.startSse();
            try {
                for (int i = 0; i < 100; i++) {
                    a.data(chunk("gpt-4.1", "{\"content\":\"tick" + i + "\"}", null));
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                upstreamSawClose.set(System.nanoTime());
                throw e;
            }
        });
        String body = "{\"model\":\"openai/gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String line = io.canaryllm.testing.RawClient.postThenLeave(gw.baseUrl, "/v1/chat/completions", body, "data: ",
                "Authorization", "Bearer " + gw.apiKey);
        long closedAt = System.nanoTime();
        assertTrue(line.contains("tick0"), line);
        long deadline = System.currentTimeMillis() + 3_000;
        while (upstreamSawClose.get() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertTrue(upstreamSawClose.get() != 0, "the upstream connection was closed");
        long ms = (upstreamSawClose.get() - closedAt) / 1_000_000;
        assertTrue(ms < 1_000, "upstream aborted " + ms + " ms after the client left");
    }

    @Test
    void mockEchoStreamsWordByWordWithUsage() throws Exception {
        List<String> data = readAll("{\"model\":\"mock/echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
        // role chunk, three words, finish chunk, usage chunk, [DONE]
        assertEquals(7, data.size(), data.toString());
        assertTrue(data.get(3).contains("\" three\""));
        assertTrue(data.get(5).contains("\"completion_tokens\":3"));
        assertEquals("data: [DONE]", data.get(6));
    }

    private List<String> readAll(String body) throws Exception {
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = openStream(body)) {
            String line;
            while ((line = reader.readLine()) != null) if (line.startsWith("data: ")) data.add(line);
        }
        return data;
    }

    private BufferedReader openStream(String body) throws Exception {
        HttpResponse<InputStream> response = gw.http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }
}
