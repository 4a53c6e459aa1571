package io.canaryllm.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The gateway as an operator runs it: its own JVM, started in a fresh folder holding a copy of {@code config/} and
 * {@code routes/} with some route files replaced or added, so a test can load an example route or a broken one.
 * Providers point at the shared {@link FakeUpstream}.
 */
public final class GatewayProcess implements AutoCloseable {
    public final Path dir;
    public final String baseUrl;
    public final Process process;
    private final Path log;

    private GatewayProcess(Path dir, String baseUrl, Process process, Path log) {
        this.dir = dir;
        this.baseUrl = baseUrl;
        this.process = process;
        this.log = log;
    }

    /** @param routeFiles file name in routes/ → its new content */
    public static GatewayProcess start(FakeUpstream fake, Map<String, String> routeFiles) throws IOException {
        return start(fake, routeFiles, Map.of());
    }

    /** @param extraEnv environment beyond the defaults (retry timings, timeouts …) */
    public static GatewayProcess start(FakeUpstream fake, Map<String, String> routeFiles, Map<String, String> extraEnv) throws IOException {
        Path dir = Files.createTempDirectory("canaryllm-proc");
        copy(Path.of("config"), dir.resolve("config"));
        copy(Path.of("routes"), dir.resolve("routes"));
        for (var e : routeFiles.entrySet()) Files.writeString(dir.resolve("routes").resolve(e.getKey()), e.getValue());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("CANARYLLM_PORT", Integer.toString(port));
        env.put("CANARYLLM_HOST", "127.0.0.1");
        env.put("CANARYLLM_DATA_DIR", dir.resolve("data").toString());
        env.put("CANARYLLM_MASTER_KEY", TestGateway.MASTER_KEY);
        env.put("CANARYLLM_AUDIT_DIR", dir.resolve("audit").toString());
        for (String p : new String[] {"openai", "xai", "perplexity", "lmstudio", "ollama"}) {
            env.put("CANARYLLM_" + p.toUpperCase() + "_BASE_URL", fake.baseUrl(p));
        }
        env.put("CANARYLLM_ANTHROPIC_BASE_URL", fake.origin("anthropic"));
        env.putAll(extraEnv);
        Path log = dir.resolve("gateway.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.canaryllm.CanaryMain")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new GatewayProcess(dir, "http://127.0.0.1:" + port, pb.start(), log);
    }

    /** Waits until {@code /health} answers, or fails with the gateway's output. */
    public GatewayProcess awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("gateway exited:\n" + output());
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return this;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway not ready in 60 s:\n" + output());
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) throw new IllegalStateException("gateway still running after " + seconds + " s");
        return process.exitValue();
    }

    public String output() throws IOException { return Files.exists(log) ? Files.readString(log) : ""; }

    /** A fresh API key from the admin API. */
    public String newKey() throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/keys"))
                .header("Authorization", "Bearer " + TestGateway.MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"example\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return TestGateway.json(r.body()).path("key").asText();
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks the gateway to stop as an orchestrator does (SIGTERM). */
    public void terminate() { process.destroy(); }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
