package io.canaryllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake upstream on loopback speaking the OpenAI Chat wire over real HTTP: each provider gets its own path
 * ({@code /<provider>/v1/chat/completions}), every request is recorded, and each answer is replayed from a per-provider
 * queue of scripts (JSON, SSE with pauses and gates, status errors, resets). With {@code h2c} its port also speaks
 * HTTP/2 in clear text (prior knowledge) beside HTTP/1.1; each request records the protocol it came in, and the
 * connections accepted are counted.
 */
public final class FakeUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server = new Server();
    private final Map<String, Deque<Script>> scripts = new HashMap<>();
    private final Map<String, Script> defaults = new HashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Per provider: a check every request must pass (a signature), else a 403; kept across {@link #reset()}. */
    private final Map<String, java.util.function.Function<Received, String>> checks = new java.util.concurrent.ConcurrentHashMap<>();
    private final int port;
    private final String scheme;
    /** The client address (host:port) of every socket accepted: one per connection, whatever protocol it ends up in. */
    private final java.util.Set<String> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * One recorded request. {@code query} is the raw query string without the {@code ?}, or null when there is none
     * (Gemini streams only with {@code alt=sse}, so the query is part of what the gateway must get right).
     * {@code protocol} is the HTTP version the request came in ({@code HTTP/1.1}, {@code HTTP/2.0}).
     */
    public record Received(String provider, String path, String query, Map<String, String> headers, String body,
                           String protocol) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes one answer. */
    @FunctionalInterface
    public interface Script {
        void answer(Answer answer) throws Exception;
    }

    /** The response side of one request, written synchronously by a script. */
    public static final class Answer {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private boolean done;

        Answer(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        public void json(int status, String body) throws Exception {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            if (status == 429) response.getHeaders().put(HttpHeader.RETRY_AFTER, "7");
            write(true, body);
            done = true;
        }

        /** An error answer with an explicit {@code retry-after} (null for none). */
        public void status(int status, String retryAfter, String body) throws Exception {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            if (retryAfter != null) response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfter);
            write(true, body);
            done = true;
        }

        public void header(String name, String value) { response.getHeaders().put(name, value); }

        /** A 200 with AWS's event-stream media type (Bedrock ConverseStream); frames follow with {@link #bytes}. */
        public void startEventStream() {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/vnd.amazon.eventstream");
        }

        /** Writes these bytes as they are and flushes them. */
        public void bytes(byte[] data) throws Exception {
            Callback.Completable written = new Callback.Completable();
            response.write(false, ByteBuffer.wrap(data), written);
            written.get();
        }

        public void startSse() {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        }

        /** Writes {@code event: <type>\ndata: <json>\n\n} (the Anthropic framing) and flushes it. */
        public void event(String type, String json) throws Exception { write(false, "event: " + type + "\ndata: " + json + "\n\n"); }

        /** Writes {@code data: <json>\n\n} and flushes it. */
        public void data(String json) throws Exception { write(false, "data: " + json + "\n\n"); }

        public void raw(String text) throws Exception { write(false, text); }

        public void end() throws Exception {
            write(true, "");
            done = true;
        }

        /**
         * Aborts the response mid-way: over HTTP/1.1 the connection is closed without the end of the chunked body,
         * over HTTP/2 the stream is reset (RST_STREAM) and its connection's other streams go on.
         */
        public void reset() {
            callback.failed(new IOException("scripted reset"));
            done = true;
        }

        /** Closes the whole connection under the response (TCP close, no GOAWAY): every stream on it ends. */
        public void dropConnection() {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new IOException("scripted connection drop"));
            done = true;
        }

        private void write(boolean last, String text) throws Exception {
            Callback.Completable written = new Callback.Completable();
            response.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.get();
        }
    }

    public FakeUpstream() throws Exception { this(false); }

    /** @param h2c also speak HTTP/2 in clear text with prior knowledge (the HTTP/1.1 requests are served as before) */
    public FakeUpstream(boolean h2c) throws Exception {
        this(h2c ? Listen.H2C : Listen.HTTP, null, null);
    }

    /**
     * Over TLS with the key and certificate in {@code keyStore} (PKCS12): with {@code h2}, ALPN offers h2 and
     * http/1.1; without, the server has no ALPN and speaks HTTP/1.1 only (a provider without HTTP/2).
     */
    public static FakeUpstream tls(java.nio.file.Path keyStore, String password, boolean h2) throws Exception {
        return new FakeUpstream(h2 ? Listen.TLS_H2 : Listen.TLS_HTTP11, keyStore, password);
    }

    private enum Listen { HTTP, H2C, TLS_H2, TLS_HTTP11 }

    private FakeUpstream(Listen listen, java.nio.file.Path keyStore, String password) throws Exception {
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = switch (listen) {
            case HTTP -> new ServerConnector(server);
            case H2C -> new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
            case TLS_H2, TLS_HTTP11 -> tlsConnector(listen == Listen.TLS_H2, keyStore, password);
        };
        scheme = listen == Listen.TLS_H2 || listen == Listen.TLS_HTTP11 ? "https" : "http";
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                // an h2c connection starts as HTTP/1.1 and is replaced on the same socket: count sockets, not the two
                connections.add(String.valueOf(connection.getEndPoint().getRemoteSocketAddress()));
            }
        });
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                String provider = path.split("/")[1];
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, String> headers = new HashMap<>();
                request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
                Received r = new Received(provider, path, request.getHttpURI().getQuery(), headers, body,
                        request.getConnectionMetaData().getHttpVersion().asString());
                received.add(r);
                var check = checks.get(provider);
                String refused = check == null ? null : check.apply(r);
                Script script;
                synchronized (scripts) {
                    Deque<Script> queue = scripts.get(provider);
                    script = queue == null || queue.isEmpty() ? defaults.get(provider) : queue.poll();
                }
                if (refused != null) {
                    String message = refused;
                    script = a -> {
                        a.header("x-amzn-ErrorType", "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");
                        a.status(403, null, "{\"message\":" + JSON.writeValueAsString(message) + "}");
                    };
                }
                Answer answer = new Answer(request, response, callback);
                try {
                    if (script == null) answer.json(500, "{\"error\":{\"message\":\"no script for " + provider + "\"}}");
                    else script.answer(answer);
                    if (!answer.done) answer.end();
                    callback.succeeded();
                } catch (Exception e) {
                    if (!answer.done) callback.failed(e);
                }
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    private ServerConnector tlsConnector(boolean h2, java.nio.file.Path keyStore, String password) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toString());
        ssl.setKeyStorePassword(password);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false)); // callers use 127.0.0.1, no SNI
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        if (!h2) return new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, http11.getProtocol()), http11);
        var alpn = new org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        return new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                new org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory(config), http11);
    }

    /** The base URL an OpenAI SDK would take for {@code provider}. */
    public String baseUrl(String provider) { return scheme + "://127.0.0.1:" + port + "/" + provider + "/v1"; }

    /** The base URL for a provider whose base URL is an origin (Anthropic: the gateway appends /v1/messages). */
    public String origin(String provider) { return scheme + "://127.0.0.1:" + port + "/" + provider; }

    /**
     * A Google (Gemini or Vertex) generate call used the right method: a stream is {@code :streamGenerateContent} with
     * {@code alt=sse} (without it Google streams one JSON array, which no SSE parser reads), a plain call
     * {@code :generateContent} with no {@code alt} at all.
     */
    public static void assertGoogleCall(Received r, boolean stream) {
        String query = r.query() == null ? "" : r.query();
        if (stream) {
            org.junit.jupiter.api.Assertions.assertTrue(r.path().endsWith(":streamGenerateContent"), r.path());
            org.junit.jupiter.api.Assertions.assertTrue(java.util.List.of(query.split("&")).contains("alt=sse"),
                    r.path() + " streamed with query '" + query + "', not alt=sse");
        } else {
            org.junit.jupiter.api.Assertions.assertTrue(r.path().endsWith(":generateContent"), r.path());
            org.junit.jupiter.api.Assertions.assertFalse(query.contains("alt="), r.path() + " plain call with query '" + query + "'");
        }
    }

    public void enqueue(String provider, Script... answers) {
        synchronized (scripts) {
            Deque<Script> queue = scripts.computeIfAbsent(provider, p -> new ArrayDeque<>());
            for (Script s : answers) queue.add(s);
        }
    }

    /** The answer when nothing is queued for {@code provider} (instead of a 500), until {@link #reset()}. */
    public void always(String provider, Script answer) {
        synchronized (scripts) { defaults.put(provider, answer); }
    }

    /**
     * Every later request to {@code provider} must pass {@code check} (null: passes; else the reason), or it is
     * answered 403 with AWS's error shape instead of its script (which is then used up all the same).
     */
    public void check(String provider, java.util.function.Function<Received, String> check) { checks.put(provider, check); }

    /** The connections (sockets) accepted since the start. */
    public int connectionsAccepted() { return connections.size(); }

    public List<Received> received(String provider) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) if (r.provider.equals(provider)) out.add(r);
        return out;
    }

    public void reset() {
        synchronized (scripts) {
            scripts.clear();
            defaults.clear();
        }
        received.clear();
    }

    @Override
    public void close() throws Exception { server.stop(); }

    // ---- ready-made answers in the OpenAI Chat wire (protocols.md 1.3, 1.4) ----

    public static Script completion(String model, String text) {
        return a -> a.json(200, """
                {"id":"chatcmpl-fake1","object":"chat.completion","created":1760704586,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""".formatted(model, text));
    }

    /**
     * An Anthropic Messages stream that never ends by itself: message_start with {@code inputTokens}, then a text
     * delta {@code tick0}, {@code tick1} … every 100 ms for 10 s (for callers that leave midway).
     */
    public static Script tickingAnthropicStream(int inputTokens) {
        return a -> {
            a.startSse();
            a.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":" + inputTokens + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
            a.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            for (int i = 0; i < 100; i++) {
                a.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"tick" + i + "\"}}");
                Thread.sleep(100);
            }
        };
    }

    /** A plain Anthropic Messages answer. */
    public static Script anthropicMessage(String text) {
        return a -> a.json(200, """
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}""".formatted(text));
    }

    public static String chunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1760704588,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}],\"usage\":null}";
    }

    public static String usageChunk(String model, int prompt, int completion) {
        return "{\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1760704588,\"model\":\"" + model
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }
}
