package io.canaryllm.upstream;

import io.canaryllm.catalogue.CatalogueLoader;
import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.testing.FakeUpstream;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/2 stream's events reach {@link ResponsePieces} on the thread that read them, with no hand-off to another
 * pool thread per event. A pool that counts the jobs it is given and the reserved threads it wakes shows each
 * hand-off: with Jetty's default pool (reserved threads) about one per event, with the upstream clients' pool next
 * to none.
 */
class UpstreamHandOffTest {
    private static final int EVENTS = 40;
    private static FakeUpstream fake;

    @BeforeAll
    static void start() throws Exception { fake = new FakeUpstream(true); }

    @AfterAll
    static void stop() throws Exception { fake.close(); }

    @Test
    void anHttp2StreamIsQueuedWhereItIsRead() throws Exception {
        Relayed ours = relay(UpstreamClients.configure(new CountingPool()));
        Relayed jettyPool = relay(new CountingPool());
        assertTrue(jettyPool.handOffs >= EVENTS / 2, "Jetty's pool, with reserved threads: " + jettyPool.handOffs + " hand-offs");
        assertTrue(ours.handOffs < EVENTS / 4, "the upstream clients' pool: " + ours.handOffs + " hand-offs");
        for (Relayed r : new Relayed[] {ours, jettyPool}) {
            assertTrue(r.body.startsWith("data: ") && r.body.endsWith("data: [DONE]\n\n"), r.body);
            assertEquals(EVENTS + 1, r.body.split("\n\n").length, "every event arrived");
        }
    }

    private record Relayed(int handOffs, String body) {}

    /** One stream of EVENTS events, a few ms apart, over h2c through ResponsePieces. */
    private static Relayed relay(CountingPool pool) throws Exception {
        fake.enqueue("openai", answer -> {
            answer.startSse();
            for (int i = 0; i < EVENTS; i++) {
                answer.data(FakeUpstream.chunk("gpt-4.1", "t" + i, null));
                Thread.sleep(3); // one DATA frame per event, as a provider's tokens arrive
            }
            answer.data("[DONE]");
            answer.end();
        });
        try (UpstreamClients clients = new UpstreamClients(8, 8, pool)) {
            var request = clients.forProvider(h2Provider()).newRequest(fake.baseUrl("openai") + "/chat/completions")
                    .method("POST").body(new StringRequestContent("application/json", "{\"stream\":true}"));
            ResponsePieces pieces = new ResponsePieces();
            request.send(pieces);
            assertEquals(200, pieces.awaitHead(5_000).getStatus());
            String body = new String(pieces.readAll(1 << 20), StandardCharsets.UTF_8);
            // besides the events, the connection's set-up and the request's send take a few jobs of their own
            return new Relayed(pool.jobs.get(), body);
        }
    }

    private static ProviderSpec h2Provider() {
        ProviderSpec p = CatalogueLoader.load(Path.of("config/catalogue.yaml")).provider("openai").orElseThrow();
        return new ProviderSpec(p.name(), p.wire(), p.baseUrl(), p.auth(), p.apiKey(), p.anyModel(), p.responses(), p.query(),
                p.paths(), p.timeouts(), p.breaker(), p.aws(), true);
    }

    /** Jetty's pool, counting the jobs handed to it and the reserved threads it wakes. */
    private static final class CountingPool extends QueuedThreadPool {
        final AtomicInteger jobs = new AtomicInteger();

        CountingPool() { super(32, 2); }

        @Override
        public void execute(Runnable job) {
            jobs.incrementAndGet();
            super.execute(job);
        }

        @Override
        public boolean tryExecute(Runnable task) {
            boolean taken = super.tryExecute(task);
            if (taken) jobs.incrementAndGet();
            return taken;
        }
    }
}
