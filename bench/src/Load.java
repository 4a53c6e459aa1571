import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load client: raw HTTP/1.1 over keep-alive sockets (nothing between the clock and the wire), the
 * gateway always measured next to the fake upstream called directly in the same run.
 *
 *   java -cp classes Load <phase> gw=PORT fake=PORT key=KEY pid=GATEWAY_PID hz=CLK_TCK raw=FILE [table=FILE]
 *
 * Phases: idle, seq, rps, events, ttfb, open (each appends key=value lines to the raw file) and report (prints the
 * table from the raw file and writes it to table=FILE). See bench/README.md for what each figure means.
 */
public final class Load {
    private static final Map<String, String> ARGS = new LinkedHashMap<>();
    private static final List<String> RAW = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (String a : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = a.indexOf('=');
            ARGS.put(a.substring(0, eq), a.substring(eq + 1));
        }
        switch (args[0]) {
            case "idle" -> idle();
            case "warm" -> warm();
            case "seq" -> sequential();
            case "rps" -> throughput();
            case "events" -> events();
            case "ttfb" -> firstByte();
            case "open" -> openStreams();
            case "report" -> { report(); return; }
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        Files.write(Path.of(ARGS.get("raw")), RAW, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ---------------------------------------------------------------- phases

    /** e. resident memory and threads of the idle gateway. */
    static void idle() throws Exception {
        Sampler s = Sampler.start();
        Thread.sleep(1_000);
        s.stop();
        put("idle_rss_mb", s.maxRssMb());
        put("idle_threads", s.maxThreads());
    }

    /**
     * JIT warm-up before anything is measured: on 2 cores C2 needs about a minute of load to settle and, until then,
     * takes a third of the gateway's CPU. Rounds of non-streaming and streaming load until the compiler threads use
     * under 5% of the gateway's CPU in a round, or the time is up.
     */
    static void warm() throws Exception {
        Target gw = gateway(), direct = direct();
        byte[] stream = gw.stream(50, 10);
        long start = System.nanoTime(), limit = TimeUnit.SECONDS.toNanos(num("max", 60));
        double jitShare;
        do {
            long cpu0 = cpuTicks(), jit0 = jitTicks();
            run(gw.port, gw.plain, 64, 4);
            runStreams(gw.port, stream, 100, 2, 50);
            run(direct.port, direct.plain, 64, 1);
            jitShare = (jitTicks() - jit0) * 100.0 / Math.max(1, cpuTicks() - cpu0);
            System.err.printf(Locale.ROOT, "  warm-up: JIT compiler threads at %.0f%% of the gateway's CPU%n", jitShare);
        } while (jitShare >= 5 && System.nanoTime() - start < limit);
        put("warm_s", (System.nanoTime() - start) / 1e9);
        put("warm_jit_pct", jitShare);
    }

    /** a. sequential non-streaming requests, gateway and direct request by request. */
    static void sequential() throws IOException {
        Target gw = gateway(), direct = direct();
        int warm = num("warm", 1000), n = num("n", 2000);
        long[] g = new long[n], d = new long[n];
        try (Conn cg = new Conn(gw.port); Conn cd = new Conn(direct.port)) {
            for (int i = 0; i < warm + n; i++) {
                Reply rg = check(cg.call(gw.plain), 0), rd = check(cd.call(direct.plain), 0);
                if (i >= warm) { g[i - warm] = rg.total(); d[i - warm] = rd.total(); }
            }
        }
        Arrays.sort(g);
        Arrays.sort(d);
        put("seq_n", n);
        put("seq_gw_p50_ms", ms(pct(g, 0.50)));
        put("seq_gw_p99_ms", ms(pct(g, 0.99)));
        put("seq_direct_p50_ms", ms(pct(d, 0.50)));
        put("seq_direct_p99_ms", ms(pct(d, 0.99)));
    }

    /** b, c, e. requests per second at 16 and 64 connections; the gateway's CPU per request and RSS under load. */
    static void throughput() throws Exception {
        Target gw = gateway(), direct = direct();
        int slice = num("slice", 5);
        run(gw.port, gw.plain, 64, 4);        // warm-up
        run(direct.port, direct.plain, 64, 2);
        Sampler sampler = Sampler.start();
        long cpuTicks = 0, gwRequests = 0, jit0 = jitTicks();
        for (int conc : new int[] {16, 64}) {
            long[] count = new long[2], errors = new long[2];
            double[] secs = new double[2];
            long concTicks = 0;
            for (int round = 0; round < 2; round++) {  // alternate gw, direct, gw, direct: same machine load for both
                long cpu0 = cpuTicks();
                Run r = run(gw.port, gw.plain, conc, slice);
                concTicks += cpuTicks() - cpu0;
                gwRequests += r.ok;
                count[0] += r.ok; errors[0] += r.errors; secs[0] += r.seconds;
                Run rd = run(direct.port, direct.plain, conc, slice);
                count[1] += rd.ok; errors[1] += rd.errors; secs[1] += rd.seconds;
            }
            cpuTicks += concTicks;
            put("cpu_ms_per_request_" + conc, concTicks * 1000.0 / hz() / count[0]);
            put("gw_cores_busy_" + conc, concTicks / (double) hz() / secs[0]);
            put("rps_gw_" + conc, count[0] / secs[0]);
            put("rps_direct_" + conc, count[1] / secs[1]);
            put("rps_errors_gw_" + conc, errors[0]);
            put("rps_errors_direct_" + conc, errors[1]);
        }
        sampler.stop();
        put("cpu_ms_per_request", cpuTicks * 1000.0 / hz() / gwRequests);
        put("rps_jit_pct", (jitTicks() - jit0) * 100.0 / cpuTicks);
        put("load_rss_mb", sampler.maxRssMb());
        put("load_threads", sampler.maxThreads());
    }

    /** c. the gateway's CPU per relayed SSE event: many concurrent streams, events spaced like tokens. */
    static void events() throws Exception {
        Target gw = gateway();
        int conc = num("conc", 100), events = num("events", 50), gap = num("gap", 10);
        byte[] req = gw.stream(events, gap);
        runStreams(gw.port, req, conc, 2, events);  // warm-up
        long cpu0 = cpuTicks(), jit0 = jitTicks();
        StreamRun r = runStreams(gw.port, req, conc, num("seconds", 8), events);
        long cpu = cpuTicks() - cpu0;
        put("ev_jit_pct", (jitTicks() - jit0) * 100.0 / cpu);
        put("ev_streams", r.streams.get());
        put("ev_events", r.events.get());
        put("ev_errors", r.errors.get());
        put("ev_per_stream", events);
        put("cpu_us_per_event", cpu * 1e6 / hz() / r.events.get());
        put("cpu_us_per_stream_total", cpu * 1e6 / hz() / r.streams.get());
    }

    /** d. time to the first streamed event, sequential, gateway and direct stream by stream. */
    static void firstByte() throws IOException {
        Target gw = gateway(), direct = direct();
        int warm = num("warm", 50), n = num("n", 300), events = 20;
        byte[] rqg = gw.stream(events, 0), rqd = direct.stream(events, 0);
        long[] g = new long[n], d = new long[n];
        try (Conn cg = new Conn(gw.port); Conn cd = new Conn(direct.port)) {
            for (int i = 0; i < warm + n; i++) {
                Reply rg = check(cg.call(rqg), events), rd = check(cd.call(rqd), events);
                if (i >= warm) { g[i - warm] = rg.firstEvent(); d[i - warm] = rd.firstEvent(); }
            }
        }
        Arrays.sort(g);
        Arrays.sort(d);
        put("ttfb_n", n);
        put("ttfb_gw_p50_ms", ms(pct(g, 0.50)));
        put("ttfb_gw_p99_ms", ms(pct(g, 0.99)));
        put("ttfb_direct_p50_ms", ms(pct(d, 0.50)));
        put("ttfb_direct_p99_ms", ms(pct(d, 0.99)));
    }

    /** e. 1,000 streams opened at once and held open by the fake (events ~1 s apart): errors, memory, threads. */
    static void openStreams() throws Exception {
        Target gw = gateway();
        int n = num("n", 1000), events = num("events", 12), gap = num("gap", 1000);
        byte[] req = gw.stream(events, gap);
        ConcurrentLinkedQueue<Long> ttfe = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1), finished = new CountDownLatch(n);
        Sampler sampler = Sampler.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try (Conn c = new Conn(gw.port)) {
                    go.await();
                    Reply r = c.call(req);
                    String problem = r.problem(events);
                    if (problem != null) errors.add(problem);
                    else ttfe.add(r.firstEvent());
                } catch (Exception e) {
                    errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                } finally {
                    finished.countDown();
                }
            });
        }
        go.countDown();
        boolean all = finished.await(num("deadline", 60), TimeUnit.SECONDS);
        double wall = (System.nanoTime() - t0) / 1e9;
        sampler.stop();
        long[] t = ttfe.stream().mapToLong(Long::longValue).sorted().toArray();
        put("open_n", n);
        put("open_errors", errors.size() + finished.getCount());
        put("open_wall_s", wall);
        put("open_rss_mb", sampler.maxRssMb());
        put("open_threads", sampler.maxThreads());
        put("open_ttfe_p50_ms", t.length == 0 ? -1 : ms(pct(t, 0.50)));
        put("open_ttfe_p99_ms", t.length == 0 ? -1 : ms(pct(t, 0.99)));
        if (!all) System.err.println("open: " + finished.getCount() + " streams still running at the deadline");
        errors.stream().distinct().limit(5).forEach(e -> System.err.println("open: error: " + e));
    }

    // ---------------------------------------------------------------- report

    static void report() throws IOException {
        Map<String, Double> v = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(ARGS.get("raw")))) {
            int eq = line.indexOf('=');
            if (eq > 0) v.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("CanaryLLM gateway benchmark, %s, %d CPUs, client and fake upstream on the same machine%n",
                java.time.LocalDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors()));
        out.append(String.format("%-42s %10s %10s %10s  %-14s %s%n", "figure", "gateway", "direct", "added", "target", "ok?"));
        Row r = new Row(out, v);
        r.added("latency p50, sequential, ms", "seq_gw_p50_ms", "seq_direct_p50_ms", "<= 0.5 added", 0.5);
        r.added("latency p99, sequential, ms", "seq_gw_p99_ms", "seq_direct_p99_ms", "<= 3 added", 3);
        r.pair("requests/s, 16 connections", "rps_gw_16", "rps_direct_16", "", Double.NaN, false);
        r.pair("requests/s, 64 connections", "rps_gw_64", "rps_direct_64", ">= 3000", 3000, true);
        r.one("errors during requests/s runs", v.getOrDefault("rps_errors_gw_16", 0.0) + v.getOrDefault("rps_errors_gw_64", 0.0), "0", 0, false);
        r.one("CPU per non-streaming request, ms, 16 conns", v.get("cpu_ms_per_request_16"), "<= 0.25", 0.25, false);
        r.one("CPU per non-streaming request, ms, 64 conns", v.get("cpu_ms_per_request_64"), "<= 0.25", 0.25, false);
        r.note("  (gateway CPU cores busy, 16 / 64 conns)", Row.fmt(v.get("gw_cores_busy_16")) + " / " + Row.fmt(v.get("gw_cores_busy_64")));
        r.one("  (JIT share of that CPU, %)", v.get("rps_jit_pct"), "", Double.NaN, false);
        r.one("CPU per relayed event, us", v.get("cpu_us_per_event"), "<= 20", 20, false);
        r.one("  (JIT share of that CPU, %)", v.get("ev_jit_pct"), "", Double.NaN, false);
        r.one("  (stream CPU incl. setup, us/stream)", v.get("cpu_us_per_stream_total"), "", Double.NaN, false);
        r.note("  (streams / events relayed in that run)", Row.fmt(v.get("ev_streams")) + " / " + Row.fmt(v.get("ev_events")));
        r.one("  (stream errors in that run)", v.get("ev_errors"), "0", 0, false);
        r.added("time to first event p50, ms", "ttfb_gw_p50_ms", "ttfb_direct_p50_ms", "<= 1 added", 1);
        r.added("time to first event p99, ms", "ttfb_gw_p99_ms", "ttfb_direct_p99_ms", "", Double.NaN);
        r.one("JIT warm-up before measuring, s", v.get("warm_s"), "", Double.NaN, false);
        r.one("  (JIT share of CPU in its last round, %)", v.get("warm_jit_pct"), "", Double.NaN, false);
        r.one("RSS idle, MB", v.get("idle_rss_mb"), "", Double.NaN, false);
        r.one("threads idle", v.get("idle_threads"), "", Double.NaN, false);
        r.one("RSS max under non-streaming load, MB", v.get("load_rss_mb"), "<= 300", 300, false);
        r.one("threads max under non-streaming load", v.get("load_threads"), "", Double.NaN, false);
        r.one("1,000 open streams: errors", v.get("open_errors"), "0", 0, false);
        r.one("1,000 open streams: RSS max, MB", v.get("open_rss_mb"), "", Double.NaN, false);
        r.one("1,000 open streams: threads max", v.get("open_threads"), "", Double.NaN, false);
        r.one("1,000 open streams: first event p50, ms", v.get("open_ttfe_p50_ms"), "", Double.NaN, false);
        r.one("1,000 open streams: first event p99, ms", v.get("open_ttfe_p99_ms"), "", Double.NaN, false);
        r.one("1,000 open streams: wall time, s", v.get("open_wall_s"), "", Double.NaN, false);
        System.out.print(out);
        if (ARGS.containsKey("table")) Files.writeString(Path.of(ARGS.get("table")), out);
    }

    /** One table line; a limit of NaN means no target, atLeast flips the comparison. */
    record Row(StringBuilder out, Map<String, Double> v) {
        void added(String name, String gw, String direct, String target, double limit) {
            Double g = v.get(gw), d = v.get(direct);
            double add = g == null || d == null ? Double.NaN : g - d;
            line(name, g, d, add, target, verdict(add, limit, false));
        }

        void pair(String name, String gw, String direct, String target, double limit, boolean atLeast) {
            Double g = v.get(gw);
            line(name, g, v.get(direct), null, target, verdict(g == null ? Double.NaN : g, limit, atLeast));
        }

        void one(String name, Double value, String target, double limit, boolean atLeast) {
            line(name, value, null, null, target, verdict(value == null ? Double.NaN : value, limit, atLeast));
        }

        void note(String name, String text) {
            out.append(String.format("%-42s %21s%n", name, text));
        }

        private static String verdict(double value, double limit, boolean atLeast) {
            if (Double.isNaN(limit)) return "";
            if (Double.isNaN(value)) return "MISSING";
            return (atLeast ? value >= limit : value <= limit) ? "PASS" : "FAIL";
        }

        private void line(String name, Double a, Double b, Double c, String target, String verdict) {
            out.append(String.format("%-42s %10s %10s %10s  %-14s %s%n", name, fmt(a), fmt(b), fmt(c), target, verdict));
        }

        static String fmt(Double x) {
            if (x == null || x.isNaN()) return x == null ? "" : "n/a";
            double a = Math.abs(x);
            return String.format(Locale.ROOT, a >= 100 || x == Math.rint(x) ? "%.0f" : a >= 10 ? "%.1f" : "%.3f", x);
        }
    }

    // ---------------------------------------------------------------- load runners

    record Run(long ok, long errors, double seconds) {}

    /** conc connections, each sending requests back to back for the given seconds. */
    static Run run(int port, byte[] req, int conc, int seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong(), errors = new AtomicLong();
        long start = System.nanoTime(), end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (Conn c = new Conn(port)) {
                    while (System.nanoTime() < end) {
                        try {
                            if (c.call(req).status == 200) ok.incrementAndGet(); else errors.incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            c.drop();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return new Run(ok.get(), errors.get(), (System.nanoTime() - start) / 1e9);
    }

    record StreamRun(AtomicLong streams, AtomicLong events, AtomicLong errors) {}

    /** conc connections, each running whole streams back to back; counts the data events received. */
    static StreamRun runStreams(int port, byte[] req, int conc, int seconds, int events) throws InterruptedException {
        StreamRun r = new StreamRun(new AtomicLong(), new AtomicLong(), new AtomicLong());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Conn c = new Conn(port)) {
                    while (System.nanoTime() < end) {
                        try {
                            Reply reply = c.call(req);
                            r.events.addAndGet(reply.dataLines);
                            if (reply.problem(events) == null) r.streams.incrementAndGet(); else r.errors.incrementAndGet();
                        } catch (IOException e) {
                            r.errors.incrementAndGet();
                            c.drop();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return r;
    }

    // ---------------------------------------------------------------- HTTP

    record Target(int port, byte[] plain, String key) {
        byte[] stream(int events, int gapMs) {
            return request(port, key, "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"stream\":true,\"bench_events\":" + events + ",\"bench_gap_ms\":" + gapMs + "}");
        }
    }

    static Target gateway() { return target(num("gw", 0)); }

    static Target direct() { return target(num("fake", 0)); }

    static Target target(int port) {
        String key = ARGS.get("key");
        return new Target(port, request(port, key, "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), key);
    }

    static byte[] request(int port, String key, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + b.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** A response: status, timings (nanoTime) and, for SSE, the data lines seen. */
    record Reply(int status, long sent, long firstBody, long end, int dataLines, boolean done) {
        long total() { return end - sent; }

        long firstEvent() { return firstBody - sent; }

        /** Null when it is a complete 200 answer with the expected number of events (0: not a stream). */
        String problem(int events) {
            if (status != 200) return "status " + status;
            if (events > 0 && (dataLines != events || !done)) return "got " + dataLines + " events, [DONE]=" + done;
            return null;
        }
    }

    static Reply check(Reply r, int events) {
        String problem = r.problem(events);
        if (problem != null) throw new IllegalStateException(problem);
        return r;
    }

    /** One keep-alive HTTP/1.1 connection to 127.0.0.1, reopened when closed. */
    static final class Conn implements AutoCloseable {
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        // SSE line scanning state
        private final byte[] lineHead = new byte[12];
        private int lineLength, dataLines;
        private boolean done;

        Conn(int port) { this.port = port; }

        Reply call(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
            }
            long sent = System.nanoTime();
            out.write(request);
            out.flush();
            String statusLine = line();
            if (statusLine == null || statusLine.length() < 12) throw new IOException("connection closed before the answer");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false, close = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
            }
            lineLength = dataLines = 0;
            done = false;
            long firstBody = 0;
            if (chunked) {
                for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                    byte[] data = in.readNBytes(size);
                    if (data.length < size) throw new IOException("connection closed inside a chunk");
                    if (firstBody == 0) firstBody = System.nanoTime();
                    scan(data);
                    line(); // the CRLF after the chunk
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0) {
                byte[] data = in.readNBytes((int) length);
                if (data.length < length) throw new IOException("connection closed inside the body");
                firstBody = System.nanoTime();
                scan(data);
            } else {
                scan(in.readAllBytes());
                firstBody = System.nanoTime();
                close = true;
            }
            long end = System.nanoTime();
            if (close) drop();
            return new Reply(status, sent, firstBody, end, dataLines, done);
        }

        /** Counts SSE "data:" lines (and the final "data: [DONE]") across chunk boundaries. */
        private void scan(byte[] data) {
            for (byte b : data) {
                if (b == '\n') {
                    String head = new String(lineHead, 0, Math.min(lineLength, lineHead.length), StandardCharsets.US_ASCII);
                    if (head.startsWith("data: [DONE]")) done = true;
                    else if (head.startsWith("data:")) dataLines++;
                    lineLength = 0;
                } else {
                    if (lineLength < lineHead.length) lineHead[lineLength] = b;
                    lineLength++;
                }
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) return sb.isEmpty() ? null : sb.toString();
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        /** Closes the socket; the next call opens a new one. */
        void drop() {
            if (socket != null) try { socket.close(); } catch (IOException ignored) { }
            socket = null;
        }

        @Override
        public void close() { drop(); }
    }

    // ---------------------------------------------------------------- the gateway process

    /** Polls VmRSS and Threads of the gateway every 100 ms and keeps the maximum. */
    static final class Sampler {
        private volatile boolean running = true;
        private long maxRssKb, maxThreads;
        private Thread thread;

        static Sampler start() {
            Sampler s = new Sampler();
            s.thread = Thread.ofPlatform().daemon().start(s::loop);
            return s;
        }

        private void loop() {
            Path status = Path.of("/proc", ARGS.get("pid"), "status");
            while (running) {
                try {
                    for (String l : Files.readAllLines(status)) {
                        if (l.startsWith("VmRSS:")) maxRssKb = Math.max(maxRssKb, Long.parseLong(l.replaceAll("\\D", "")));
                        if (l.startsWith("Threads:")) maxThreads = Math.max(maxThreads, Long.parseLong(l.replaceAll("\\D", "")));
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException { running = false; thread.join(); }

        double maxRssMb() { return maxRssKb / 1024.0; }

        long maxThreads() { return maxThreads; }
    }

    /** utime + stime of the gateway, in clock ticks (/proc/PID/stat fields 14 and 15). */
    static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", ARGS.get("pid"), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks of the gateway's JIT compiler threads (C1 and C2), to tell warm-up from steady state. */
    static long jitTicks() throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", ARGS.get("pid"), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm"));
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) continue;
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException gone) {
                    // a compiler thread that just ended
                }
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- small helpers

    static int hz() { return num("hz", 100); }

    static int num(String name, int fallback) { return ARGS.containsKey(name) ? Integer.parseInt(ARGS.get(name)) : fallback; }

    static long pct(long[] sorted, double q) { return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)]; }

    static double ms(long nanos) { return nanos / 1e6; }

    static void put(String key, double value) {
        RAW.add(key + "=" + value);
        System.err.printf(Locale.ROOT, "  %s = %s%n", key, value);
    }
}
