package io.canaryllm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.canaryllm.config.Settings;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The training run of the JDK's AOT cache (JEP 483/514/515): start-up to /ready drops from ~9 s to ~4 s and the
 * first calls after a start run compiled code (bench/README.md "Start-up"). Run by {@code bin/canaryllm train} as
 * <pre>java -XX:AOTCacheOutput=target/canaryllm.aot -cp target/canaryllm.jar io.canaryllm.AotTraining</pre>
 * It starts the gateway from the working directory's {@code config/} and {@code routes/} on a random loopback port
 * with a throw-away data directory, points the OpenAI provider at a fake on loopback (so the upstream client, the
 * SSE relay and the translations are exercised, not only the built-in mock), sends every client protocol
 * streamed and not for {@code CANARYLLM_AOT_TRAINING_SECONDS} (default 15), then stops; the JVM writes the cache
 * as it exits. Nothing leaves the machine.
 */
public final class AotTraining {
    private static final String MASTER = "aot-training-" + UUID.randomUUID();

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("check")) return; // bin/canaryllm: does the JVM start with the cache?
        Path data = Files.createTempDirectory("canaryllm-aot");
        HttpServer upstream = FakeOpenAi.start();
        int code = 0;
        Main main = null;
        try {
            System.setProperty("camel.server.port", "0");
            System.setProperty("camel.server.host", "127.0.0.1");
            System.setProperty("CANARYLLM_HOST", "127.0.0.1");
            System.setProperty("CANARYLLM_DATA_DIR", data.toString());
            System.setProperty("CANARYLLM_MASTER_KEY", MASTER);
            System.setProperty("CANARYLLM_OPENAI_BASE_URL", "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1");
            System.setProperty("CANARYLLM_OPENAI_API_KEY", "aot-training");
            // xAI speaks Chat Completions only: Responses callers are translated (OpenAI's would pass through)
            System.setProperty("CANARYLLM_XAI_BASE_URL", "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1");
            System.setProperty("CANARYLLM_XAI_API_KEY", "aot-training");
            main = CanaryMain.create();
            int port = CanaryMain.runInBackground(main, "aot-training-gateway", Duration.ofSeconds(120));
            long seconds = Settings.getLong("CANARYLLM_AOT_TRAINING_SECONDS", 15);
            int calls = new Traffic("http://127.0.0.1:" + port).run(Duration.ofSeconds(seconds));
            System.out.println("AOT training: " + calls + " calls in " + seconds + " s");
        } catch (Exception e) {
            System.err.println("AOT training failed: " + CanaryMain.describe(e));
            code = 1;
        } finally {
            if (main != null) main.completed();
            upstream.stop(0);
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // the cache is written at exit; threads of the stopped gateway must not keep the JVM alive
        System.exit(code);
    }

    /** Calls of every client protocol, streamed and not, passed through and translated, in rounds. */
    private record Traffic(String base, HttpClient http) {
        Traffic(String base) {
            this(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }

        int run(Duration length) throws Exception {
            String key = send("/admin/keys", "{\"name\":\"aot-training\"}", "Bearer " + MASTER, 201)
                    .replaceAll("(?s).*\"key\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            String auth = "Bearer " + key;
            String chat = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
            String messages = "{\"model\":\"%s\",\"max_tokens\":64,\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
            String responses = "{\"model\":\"%s\",\"stream\":%s,\"input\":\"hello\"}";
            List<String[]> calls = List.of(
                    new String[] {"/v1/chat/completions", chat}, new String[] {"/v1/messages", messages},
                    new String[] {"/v1/responses", responses});
            long end = System.nanoTime() + length.toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                for (String model : List.of("openai/gpt-4.1", "xai/grok-4-1-fast-non-reasoning", "mock/echo")) {
                    for (String[] call : calls) {
                        if (call[0].equals("/v1/responses") && model.startsWith("openai/")) continue; // a passthrough
                        for (boolean stream : new boolean[] {false, true}) {
                            send(call[0], call[1].formatted(model, stream), auth, 200);
                            n++;
                        }
                    }
                }
                send("/v1/messages/count_tokens", messages.formatted("openai/gpt-4.1", false).replace(",\"stream\":false", ""), auth, 200);
                get("/v1/models", auth);
                get("/ready", null);
                send("/v1/chat/completions", chat.formatted("nosuch/model", false), auth, 404);
                n += 4;
            }
            return n;
        }

        private String send(String path, String body, String auth, int expected) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (auth != null) b.header("Authorization", auth);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        private void get(String path, String auth) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (auth != null) b.header("Authorization", auth);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
    }

    /** An OpenAI Chat Completions upstream on loopback: a fixed answer, or 8 SSE chunks with usage and [DONE]. */
    private static final class FakeOpenAi {
        static HttpServer start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/v1/chat/completions", FakeOpenAi::answer);
            server.start();
            return server;
        }

        private static void answer(HttpExchange ex) throws IOException {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean stream = body.replace(" ", "").contains("\"stream\":true");
            String id = "chatcmpl-aot";
            if (!stream) {
                byte[] json = ("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4.1\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello there\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, json.length);
                try (OutputStream out = ex.getResponseBody()) { out.write(json); }
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                String head = "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",";
                for (int i = 0; i < 8; i++) {
                    String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"w0 \"}" : "{\"content\":\"w" + i + " \"}";
                    String finish = i == 7 ? "\"stop\"" : "null";
                    event(out, head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}");
                }
                event(out, head + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":8,\"total_tokens\":11}}");
                event(out, "[DONE]");
            }
        }

        private static void event(OutputStream out, String data) throws IOException {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
