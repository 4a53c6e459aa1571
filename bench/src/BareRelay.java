import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.Invocable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The floor under the gateway's CPU per relayed event: a relay with nothing but the I/O libraries the gateway uses,
 * no Camel, no authentication, no metering, no parsing. It forwards POST /v1/chat/completions to the fake upstream
 * and relays the answer's bytes as they come (GET /health answers 200). Loopback only.
 *
 *   java -cp target/lib/*:classes BareRelay PORT UPSTREAM_PORT MODE
 *
 * MODE handoff: the gateway's shape. Vert.x takes the request, a virtual thread calls the upstream with Jetty's
 *   client (its listener queues each piece on the selector thread, as the gateway's does) and writes each piece
 *   to the Vert.x response: per event, a Jetty read, a wake-up of the relay thread, a hand-off to the event loop
 *   and its write.
 * MODE loop: no hand-off. The upstream call is Vert.x's own client on the event loop that serves the caller, and
 *   each piece is written from the read callback: per event, a read and a write on one thread.
 * MODE pump: below any HTTP library. One platform thread and a java.nio selector pair each caller's connection with
 *   a connection to the upstream and copy bytes both ways as they are (the fake speaks HTTP/1.1 with keep-alive, so
 *   the caller sees the upstream's own response): per event, a select, one read and one write. What a relay in this
 *   JVM cannot go under on this machine.
 * bench/run.sh (phase floor) measures all three with the events phase's load; bench/README.md has the figures.
 */
public final class BareRelay {
    private static final byte[] END = new byte[0];

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]), upstreamPort = Integer.parseInt(args[1]);
        if ("pump".equals(args[2])) {
            pump(port, upstreamPort);
            return;
        }
        boolean handoff = "handoff".equals(args[2]);
        Vertx vertx = Vertx.vertx();
        HttpClient jetty = new HttpClient();
        jetty.setMaxConnectionsPerDestination(2_000);
        jetty.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        jetty.start();
        io.vertx.core.http.HttpClient loopClient = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(2_000));
        String upstream = "http://127.0.0.1:" + upstreamPort;
        vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    if (req.path().equals("/health")) {
                        req.response().end("ok");
                        return;
                    }
                    if (handoff) Thread.ofVirtual().start(() -> relayOnVirtualThread(jetty, upstream, req, body));
                    else relayOnEventLoop(loopClient, upstreamPort, req, body);
                }))
                .listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("bare relay (" + args[2] + ") on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }

    private static void relayOnVirtualThread(HttpClient jetty, String upstream, HttpServerRequest req, Buffer body) {
        LinkedBlockingQueue<byte[]> pieces = new LinkedBlockingQueue<>();
        HttpServerResponse res = req.response();
        jetty.newRequest(upstream + req.path()).method("POST")
                .headers(h -> h.put("Content-Type", "application/json"))
                .body(new BytesRequestContent(body.getBytes()))
                .onResponseHeaders(response -> {
                    res.setStatusCode(response.getStatus());
                    String type = response.getHeaders().get("Content-Type");
                    if (type != null) res.putHeader("Content-Type", type);
                })
                .onResponseContent((response, content) -> { // on the selector thread, as the gateway's listener
                    byte[] copy = new byte[content.remaining()];
                    content.get(copy);
                    pieces.add(copy);
                })
                .send(result -> pieces.add(END));
        try {
            res.setChunked(true);
            for (byte[] piece = pieces.take(); piece != END; piece = pieces.take()) res.write(Buffer.buffer(piece));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        res.end();
    }

    private static void relayOnEventLoop(io.vertx.core.http.HttpClient client, int upstreamPort, HttpServerRequest req, Buffer body) {
        HttpServerResponse res = req.response();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(upstreamPort)
                        .setURI(req.path()).putHeader("Content-Type", "application/json"))
                .compose(up -> up.send(body))
                .onSuccess(answer -> {
                    res.setStatusCode(answer.statusCode()).setChunked(true);
                    String type = answer.getHeader("Content-Type");
                    if (type != null) res.putHeader("Content-Type", type);
                    answer.handler(res::write);
                    answer.endHandler(v -> res.end());
                })
                .onFailure(e -> res.setStatusCode(502).end());
    }

    private static void pump(int port, int upstreamPort) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        InetSocketAddress upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        System.out.println("bare relay (pump) on 127.0.0.1:" + port);
        while (true) {
            selector.select();
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (key.isAcceptable()) {
                    SocketChannel caller = server.accept();
                    if (caller == null) continue;
                    SocketChannel up = SocketChannel.open(upstream); // a blocking connect: loopback, at once
                    for (SocketChannel c : new SocketChannel[] {caller, up}) {
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        c.configureBlocking(false);
                    }
                    caller.register(selector, SelectionKey.OP_READ, up);
                    up.register(selector, SelectionKey.OP_READ, caller);
                } else if (key.isValid() && key.isReadable()) {
                    copy((SocketChannel) key.channel(), (SocketChannel) key.attachment(), buffer);
                }
            }
        }
    }

    /** One read, then all of it written; on end of stream or an error both sides close. */
    private static void copy(SocketChannel from, SocketChannel to, ByteBuffer buffer) {
        try {
            buffer.clear();
            if (from.read(buffer) < 0) throw new IOException("closed");
            buffer.flip();
            // the bench's events are ~200 bytes 10 ms apart on loopback: the socket buffer never fills, so this loop
            // runs once; a real relay would wait for OP_WRITE instead
            while (buffer.hasRemaining()) to.write(buffer);
        } catch (IOException e) {
            try { from.close(); } catch (IOException ignored) { }
            try { to.close(); } catch (IOException ignored) { }
        }
    }
}
