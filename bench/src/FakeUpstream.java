import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast fake OpenAI-compatible upstream for the benchmark: blocking sockets, one virtual thread per connection,
 * HTTP/1.1 keep-alive, nothing but the JDK. Listens on 127.0.0.1 only.
 *
 *   java FakeUpstream.java <port>
 *
 * POST /v1/chat/completions answers a fixed chat.completion; with "stream":true it answers SSE, one chunked frame
 * per event, each flushed on its own, then "data: [DONE]". The stream shape comes from the request body (the gateway
 * passes unknown fields through): "bench_events":N (default $FAKE_EVENTS or 20) and "bench_gap_ms":M (default
 * $FAKE_GAP_MS or 0, the pause between two events; a long gap holds the stream open). GET /health answers 200.
 *
 * A stream request that asks for "stream_options":{"include_usage":true} (what the gateway sends when it translates
 * an Anthropic Messages call) is answered like OpenAI does: the last content chunk carries "finish_reason":"stop",
 * then a usage chunk ("choices":[],"usage":{...}, completion_tokens = the number of content chunks) comes before
 * "data: [DONE]". Other requests are answered exactly as before. Such translated requests cannot carry the bench_*
 * fields (the gateway drops unknown fields when it translates), so their shape comes from the defaults, which
 * POST /bench/shape?events=N&gap_ms=M changes at run time; GET /bench/last-usage-request answers the body of the
 * last such request (so the load client can call the fake directly with exactly what the gateway sent).
 */
public final class FakeUpstream {
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final Pattern EVENTS = Pattern.compile("\"bench_events\"\\s*:\\s*(\\d+)");
    private static final Pattern GAP = Pattern.compile("\"bench_gap_ms\"\\s*:\\s*(\\d+)");
    private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
    private static final Pattern SHAPE_EVENTS = Pattern.compile("[?&]events=(\\d+)");
    private static final Pattern SHAPE_GAP = Pattern.compile("[?&]gap_ms=(\\d+)");
    /** The stream shape when the request does not set it; POST /bench/shape changes it. */
    private static volatile int defaultEvents = Integer.parseInt(System.getenv().getOrDefault("FAKE_EVENTS", "20"));
    private static volatile int defaultGapMs = Integer.parseInt(System.getenv().getOrDefault("FAKE_GAP_MS", "0"));
    /** The body of the last stream request that asked for the usage chunk. */
    private static volatile String lastUsageRequest;

    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the fake upstream.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16}}")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN_HEAD = head("200 OK", "application/json", "Content-Length: " + COMPLETION.length);
    private static final byte[] SSE_HEAD = head("200 OK", "text/event-stream", "Transfer-Encoding: chunked\r\nCache-Control: no-cache");
    private static final byte[] HEALTH = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    private static final byte[] NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    private static final byte[] EVENT = chunk("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
    private static final byte[] EVENT_LAST = chunk("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":\"stop\"}]}\n\n");
    private static final byte[] DONE = chunk("data: [DONE]\n\n");
    private static final byte[] OK = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        try (ServerSocket server = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress())) {
            System.out.println("fake upstream on 127.0.0.1:" + port);
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) return;
                long length = 0;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Long.parseLong(h.substring(15).trim());
                }
                String body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
                if (requestLine.startsWith("POST /v1/chat/completions")) {
                    if (STREAM.matcher(body).find()) {
                        boolean usage = INCLUDE_USAGE.matcher(body).find();
                        if (usage) lastUsageRequest = body;
                        stream(out, number(EVENTS, body, defaultEvents), number(GAP, body, defaultGapMs), usage);
                    } else { out.write(PLAIN_HEAD); out.write(COMPLETION); out.flush(); }
                } else if (requestLine.startsWith("GET /health")) {
                    out.write(HEALTH); out.flush();
                } else if (requestLine.startsWith("POST /bench/shape")) {
                    defaultEvents = number(SHAPE_EVENTS, requestLine, defaultEvents);
                    defaultGapMs = number(SHAPE_GAP, requestLine, defaultGapMs);
                    out.write(OK); out.flush();
                } else if (requestLine.startsWith("GET /bench/last-usage-request")) {
                    String last = lastUsageRequest;
                    if (last == null) out.write(NOT_FOUND);
                    else {
                        byte[] b = last.getBytes(StandardCharsets.UTF_8);
                        out.write(head("200 OK", "application/json", "Content-Length: " + b.length));
                        out.write(b);
                    }
                    out.flush();
                } else {
                    out.write(NOT_FOUND); out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the peer went away: nothing to do
        }
    }

    /** usage: the last content chunk carries finish_reason "stop" and a usage chunk follows it, before [DONE]. */
    private static void stream(OutputStream out, int events, int gapMs, boolean usage) throws IOException, InterruptedException {
        out.write(SSE_HEAD);
        out.flush();
        for (int i = 0; i < events; i++) {
            if (gapMs > 0 && i > 0) Thread.sleep(gapMs);
            out.write(usage && i == events - 1 ? EVENT_LAST : EVENT);
            out.flush();
        }
        if (usage) {
            out.write(chunk("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + events
                    + ",\"total_tokens\":" + (9 + events) + "}}\n\n"));
            out.flush();
        }
        out.write(DONE);
        out.write(LAST_CHUNK);
        out.flush();
    }

    private static int number(Pattern p, String body, int fallback) {
        Matcher m = p.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    /** One header line without its CRLF; null at end of stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) return null;
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    private static byte[] head(String status, String type, String extra) {
        return ascii("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\n" + extra + "\r\n\r\n");
    }

    private static byte[] chunk(String payload) {
        return ascii(Integer.toHexString(payload.length()) + "\r\n" + payload + "\r\n");
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
