package io.canaryllm.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.GatewayProcess;
import io.canaryllm.testing.Services;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No usage row is lost when PostgreSQL restarts under load: a gateway on the machine's PostgreSQL (127.0.0.1:5432,
 * database test) takes a paced burst of mock/echo calls (plain and streamed, 8 at a time) and PostgreSQL is
 * restarted ({@code pg_ctlcluster … stop}, 3 s down, {@code start}) once a third of them are sent. Every call must be answered 200 (keys
 * come from the key cache while the store is down, rows are held and retried by the ledger), the ledger must end
 * up with exactly one row per call, and nothing may be counted as dropped.
 *
 * <p>Skipped (not passed) when no PostgreSQL answers on 5432 or its cluster cannot be restarted from here
 * (no {@code pg_ctlcluster}, not root); failed instead under {@code CI=true} ({@link Services#skipOrFail}).
 * It restarts the machine's PostgreSQL: other tests using it at the same
 * time see the restart too.
 */
class PostgresRestartTest {
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Map<String, String> POSTGRES = Map.of("CANARYLLM_DB_URL", JDBC_URL, "CANARYLLM_DB_USER", "postgres");
    private static final int REQUESTS = 400;
    private static final int THREADS = 8;
    /** Request i is sent no earlier than i × this after the start: the burst lasts about 18 s. */
    private static final long PACE_MS = 45;
    /**
     * The restart begins 4.5 s in, so the burst covers a stop + 5 s down + start of up to 13.5 s: on a loaded machine
     * (a parallel build) pg_ctlcluster took 11.9 s, and a 300-request burst (13.5 s) ended 0.1 s before the restart did.
     */
    private static final int RESTART_AFTER = 100;
    /** How long PostgreSQL stays stopped before it is started again. */
    private static final long DOWN_MS = 5_000;
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(20);
    private static String version;
    private static String cluster;

    @BeforeEach
    void restartablePostgres() {
        Services.assumePostgres();
        // the cluster on port 5432, from pg_lsclusters: "15 main 5432 online postgres /var/lib/… /var/log/…"
        Run list = run(10, "pg_lsclusters", "-h");
        if (list.exit != 0) Services.skipOrFail("pg_lsclusters not usable: " + list.output);
        for (String line : list.output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[2].equals("5432") && f[3].startsWith("online")) {
                version = f[0];
                cluster = f[1];
            }
        }
        if (version == null) Services.skipOrFail("no online cluster on port 5432 in pg_lsclusters:\n" + list.output);
        Run status = pgCtl(10, "status");
        if (status.exit != 0) Services.skipOrFail("pg_ctlcluster " + version + " " + cluster + " status: " + status.output);
        if (!"root".equals(System.getProperty("user.name"))) {
            Services.skipOrFail("pg_ctlcluster restart needs root here (running as " + System.getProperty("user.name") + ")");
        }
    }

    @Test
    void noUsageRowIsLostWhenPostgresRestartsDuringABurst() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 3); // the callers, the restart, two monitors
        AtomicReference<Future<Run>> restart = new AtomicReference<>();
        DowntimeMonitor monitor = new DowntimeMonitor();
        try (GatewayProcess gw = GatewayProcess.start(TestGateway.get().fake, Map.of(), POSTGRES).awaitReady()) {
            JsonNode key = Ledger.newKey(gw.baseUrl, "pg-restart");
            String keyId = key.path("id").asText();
            String secret = key.path("key").asText();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String run = Long.toString(System.currentTimeMillis(), 36);

            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<String> answered = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            AtomicLong restartStarted = new AtomicLong();
            AtomicLong restartEnded = new AtomicLong();
            AtomicInteger sentDuringRestart = new AtomicInteger();
            long[] slowestMs = {0};
            pool.submit(monitor);
            // the ledger's side of the outage, as its metrics show it: rows queued and rows held for the store
            AtomicLong maxHeld = new AtomicLong();
            AtomicLong maxQueued = new AtomicLong();
            pool.submit(() -> {
                while (!monitor.stopped()) {
                    try {
                        String m = get(http, gw.baseUrl + "/metrics");
                        maxHeld.accumulateAndGet((long) metric(m, "canaryllm_usage_rows_buffered"), Math::max);
                        maxQueued.accumulateAndGet((long) metric(m, "canaryllm_usage_queue_depth"), Math::max);
                    } catch (Exception | AssertionError ignored) {
                        // a missed sample
                    }
                    Thread.sleep(100);
                }
                return null;
            });
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                        long wait = TimeUnit.NANOSECONDS.toMillis(t0 + TimeUnit.MILLISECONDS.toNanos(i * PACE_MS) - System.nanoTime());
                        if (wait > 0) Thread.sleep(wait);
                        if (i == RESTART_AFTER) {
                            restart.set(pool.submit(() -> {
                                restartStarted.set(System.nanoTime());
                                try {
                                    // stop, stay down a while, start: an outage long enough that lookups, probes and
                                    // ledger batches fail, not just a blip between two batches
                                    Run stop = pgCtl(30, "stop");
                                    if (stop.exit != 0) return stop;
                                    Thread.sleep(DOWN_MS);
                                    return pgCtl(30, "start");
                                } finally {
                                    restartEnded.set(System.nanoTime());
                                }
                            }));
                        }
                        if (restartStarted.get() != 0 && restartEnded.get() == 0) sentDuringRestart.incrementAndGet();
                        boolean stream = i % 2 == 1;
                        String requestId = "pgr-" + run + "-" + i;
                        String text = "restart burst " + i;
                        String body = "{\"model\":\"mock/echo\"," + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl + "/v1/chat/completions"))
                                    .timeout(REQUEST_DEADLINE).header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + secret).header("x-request-id", requestId)
                                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.merge(r.statusCode(), 1, Integer::sum);
                            answered.add(requestId);
                            boolean complete = stream ? r.body().contains("data: [DONE]") && r.body().contains("burst")
                                    : TestGateway.json(r.body()).path("choices").path(0).path("message").path("content").asText().equals(text);
                            if (r.statusCode() != 200 || !complete) {
                                problems.add(i + (stream ? " (stream)" : "") + ": " + r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            statuses.merge(-1, 1, Integer::sum); // no answer within the deadline
                            problems.add(i + ": no answer: " + e);
                        }
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                        synchronized (slowestMs) { slowestMs[0] = Math.max(slowestMs[0], ms); }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get(60, TimeUnit.SECONDS);
            long burstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Future<Run> restarted = restart.get();
            assertTrue(restarted != null, "the restart was never triggered");
            Run restartRun = restarted.get(60, TimeUnit.SECONDS);
            assertEquals(0, restartRun.exit, "pg_ctlcluster stop/start: " + restartRun.output);
            monitor.stop();
            long restartMs = TimeUnit.NANOSECONDS.toMillis(restartEnded.get() - restartStarted.get());
            System.out.printf("PostgresRestartTest: %d requests (%d threads) in %d ms, slowest %d ms; statuses %s;"
                            + " restart took %d ms, PostgreSQL refused connections for %d ms; %d requests sent during the restart;"
                            + " ledger: at most %d rows queued, %d rows held for the store%n",
                    REQUESTS, THREADS, burstMs, slowestMs[0], new TreeMap<>(statuses), restartMs, monitor.downMs(),
                    sentDuringRestart.get(), maxQueued.get(), maxHeld.get());

            // the burst must straddle the outage, or this test proves nothing
            assertTrue(monitor.downMs() > 0, "PostgreSQL was never seen down during the restart");
            assertTrue(sentDuringRestart.get() > 0, "no request was sent while PostgreSQL restarted");
            assertTrue(restartEnded.get() - t0 < TimeUnit.MILLISECONDS.toNanos(burstMs),
                    "PostgreSQL was started again only after the burst: the burst did not cover the recovery");

            // every call answered, and answered well: keys come from the cache (stale-if-error) during the outage
            assertEquals(Map.of(200, REQUESTS), new TreeMap<>(statuses), "statuses; problems: " + problems);
            assertTrue(problems.isEmpty(), problems.toString());

            // exactly one ledger row per answered call, none dropped
            JsonNode ledger = awaitLedger(gw.baseUrl, keyId, answered.size(), 60_000);
            Set<String> ids = new HashSet<>();
            for (JsonNode row : ledger.path("data")) {
                assertEquals(200, row.path("status").asInt(), row.toString());
                assertTrue(ids.add(row.path("request_id").asText()), "two rows for " + row.path("request_id").asText());
            }
            assertEquals(answered, ids, "one ledger row per answered request");
            assertEquals(answered.size(), ledger.path("totals").path("requests").asLong(), ledger.path("totals").toString());
            String metrics = get(http, gw.baseUrl + "/metrics");
            assertEquals(0.0, metric(metrics, "canaryllm_usage_rows_dropped_total"), "rows dropped");
            assertEquals(0.0, metric(metrics, "canaryllm_usage_rows_buffered"), "rows still held");
            System.out.printf("PostgresRestartTest: %d ledger rows for %d answered requests, dropped 0%n", ids.size(), answered.size());
        } finally {
            monitor.stop();
            Future<Run> r = restart.get();
            if (r != null) {
                try {
                    r.get(60, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // checked below: PostgreSQL must be running whatever happened
                }
            }
            pool.shutdownNow();
            if (pgCtl(10, "status").exit != 0) {
                Run start = pgCtl(60, "start");
                if (start.exit != 0) fail("PostgreSQL could not be started again: " + start.output);
            }
        }
    }

    /**
     * {@code GET /admin/usage} for the key until it holds at least {@code rows} rows (errors while the store recovers
     * are waited out), then once more after the next batch and retry tick, so that a late extra row would show.
     */
    private static JsonNode awaitLedger(String baseUrl, String keyId, int rows, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = Ledger.admin(baseUrl, "/admin/usage?key_id=" + keyId + "&limit=" + (rows + 100));
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && TestGateway.json(r.body()).path("totals").path("requests").asLong() >= rows) {
                Thread.sleep(1_500); // past the next batch (500 ms) and retry tick (1 s): a late duplicate would show
                return TestGateway.json(Ledger.admin(baseUrl, "/admin/usage?key_id=" + keyId + "&limit=" + (rows + 100)).body());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + rows + " ledger rows for key " + keyId + " within " + timeoutMs + " ms, got " + last);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of an unlabelled Prometheus sample. */
    private static double metric(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError(name + " not in the scrape:\n" + scrape);
    }

    /** Tries a real PostgreSQL connection every 50 ms; measures the span from the first failure to the next success. */
    private static final class DowntimeMonitor implements java.util.concurrent.Callable<Void> {
        private volatile boolean running = true;
        private volatile long downSince;
        private volatile long downMs;

        @Override
        public Void call() throws Exception {
            while (running) {
                boolean up;
                try (Connection c = DriverManager.getConnection(JDBC_URL + "?connectTimeout=1&socketTimeout=1", "postgres", "")) {
                    up = c.isValid(1);
                } catch (Exception e) {
                    up = false;
                }
                long now = System.nanoTime();
                if (!up && downSince == 0) downSince = now;
                if (up && downSince != 0 && downMs == 0) downMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(now - downSince));
                Thread.sleep(50);
            }
            return null;
        }

        void stop() { running = false; }

        boolean stopped() { return !running; }

        long downMs() { return downMs; }
    }

    private record Run(int exit, String output) {}

    private static Run pgCtl(int timeoutSeconds, String action) {
        return run(timeoutSeconds, "pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action);
    }

    private static Run run(int timeoutSeconds, String... command) {
        java.nio.file.Path out = null;
        try {
            // output to a file, not a pipe: the server pg_ctlcluster starts could inherit the pipe and hold it open
            out = java.nio.file.Files.createTempFile("pg-restart-test", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, String.join(" ", command) + ": still running after " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), java.nio.file.Files.readString(out));
        } catch (Exception e) {
            return new Run(-1, String.join(" ", command) + ": " + e);
        } finally {
            if (out != null) out.toFile().delete();
        }
    }
}
