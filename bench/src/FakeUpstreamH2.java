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
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's fake upstream in HTTP/2: the same answers as FakeUpstream.java (the same SSE events, shaped by
 * "bench_events" and "bench_gap_ms" in the body), served by Jetty on one port that speaks h2c with prior knowledge and
 * HTTP/1.1. A stream holds no thread: each event is written when the last one is out and its gap has passed (a
 * timer), so 10,000 open streams cost the fake memory, not threads. Listens on 127.0.0.1 only.
 *
 *   java -cp JETTY_CLASSPATH:classes FakeUpstreamH2 <port>
 *
 * GET /health answers 200; GET /bench/connections answers {"accepted":N,"open":M,"h2":K}: the connections (sockets)
 * accepted since the start, those open now, and the requests that came in over HTTP/2. The server's limit of
 * concurrent streams per connection is Jetty's 128 unless FAKE_H2_MAX_STREAMS says otherwise.
 */
public final class FakeUpstreamH2 {
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Pattern EVENTS = Pattern.compile("\"bench_events\"\\s*:\\s*(\\d+)");
    private static final Pattern GAP = Pattern.compile("\"bench_gap_ms\"\\s*:\\s*(\\d+)");
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the fake upstream.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16}}")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DEFAULT_EVENTS = Integer.parseInt(System.getenv().getOrDefault("FAKE_EVENTS", "20"));
    private static final int DEFAULT_GAP_MS = Integer.parseInt(System.getenv().getOrDefault("FAKE_GAP_MS", "0"));

    private static final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private static final Set<String> open = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicLong h2Requests = new java.util.concurrent.atomic.AtomicLong();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("fake-h2");
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
        String maxStreams = System.getenv("FAKE_H2_MAX_STREAMS");
        if (maxStreams != null) h2c.setMaxConcurrentStreams(Integer.parseInt(maxStreams));
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config), h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                // an h2c connection replaces the HTTP/1.1 one on its socket: count sockets by the client's address
                String peer = String.valueOf(connection.getEndPoint().getRemoteSocketAddress());
                accepted.add(peer);
                open.add(peer);
            }

            @Override
            public void onClosed(Connection connection) {
                if (!connection.getEndPoint().isOpen()) open.remove(String.valueOf(connection.getEndPoint().getRemoteSocketAddress()));
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (request.getConnectionMetaData().getHttpVersion().getVersion() == 20) h2Requests.incrementAndGet();
                if (path.equals("/health")) {
                    Content.Sink.write(response, true, "ok", callback);
                } else if (path.equals("/bench/connections")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    Content.Sink.write(response, true, "{\"accepted\":" + accepted.size() + ",\"open\":" + open.size()
                            + ",\"h2\":" + h2Requests.get() + "}", callback);
                } else if (path.equals("/v1/chat/completions")) {
                    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                    if (STREAM.matcher(body).find()) {
                        response.setStatus(200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                        new Events(response, callback, server.getScheduler(), number(EVENTS, body, DEFAULT_EVENTS),
                                number(GAP, body, DEFAULT_GAP_MS)).next();
                    } else {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                        response.write(true, ByteBuffer.wrap(COMPLETION), callback);
                    }
                } else {
                    response.setStatus(404);
                    callback.succeeded();
                }
                return true;
            }
        });
        server.start();
        System.out.println("fake upstream (h2c and HTTP/1.1) on 127.0.0.1:" + port);
        server.join();
    }

    /** One stream's events, each written once the previous one is out and the gap has passed; then [DONE]. */
    private static final class Events implements Callback {
        private final Response response;
        private final Callback done;
        private final Scheduler timer;
        private final int events, gapMs;
        private int sent;

        Events(Response response, Callback done, Scheduler timer, int events, int gapMs) {
            this.response = response;
            this.done = done;
            this.timer = timer;
            this.events = events;
            this.gapMs = gapMs;
        }

        void next() {
            if (sent == events) {
                response.write(true, ByteBuffer.wrap(DONE), done);
            } else {
                sent++;
                response.write(false, ByteBuffer.wrap(EVENT), this);
            }
        }

        @Override
        public void succeeded() {
            if (gapMs > 0 && sent < events) timer.schedule(this::next, gapMs, TimeUnit.MILLISECONDS);
            else next();
        }

        @Override
        public void failed(Throwable x) { done.failed(x); } // the gateway went away
    }

    private static int number(Pattern p, String body, int fallback) {
        Matcher m = p.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }
}
