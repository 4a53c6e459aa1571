import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark's load client: raw HTTP/1.1 over keep-alive sockets (nothing between the clock and the wire), the
 * gateway always measured next to the fake upstream called directly in the same run.
 *
 *   java -cp classes Load <phase> gw=PORT fake=PORT key=KEY pid=GATEWAY_PID hz=CLK_TCK raw=FILE [table=FILE]
 *
 * Phases: idle, seq, rps, events, ttfb, cold, tr-events, tr-ttfb, open, open10k (each appends key=value lines to the raw file) and
 * report (prints the table from the raw file and writes it to table=FILE). See bench/README.md for what each figure
 * means. The tr-* phases measure a translated stream: an Anthropic Messages client (POST /v1/messages) calling an
 * OpenAI-compatible model, the gateway translating the request up and the OpenAI chunks back into Anthropic events.
 */
public final class Load {
    /** The phase's arguments (HooksAB fills it too, to reuse the helpers below). */
    static final Map<String, String> ARGS = new LinkedHashMap<>();
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
            case "cold" -> coldFirstByte();
            case "tr-events" -> translatedEvents();
            case "tr-ttfb" -> translatedFirstByte();
            case "open", "open10k" -> openStreams(args[0]);
            case "report" -> { report(); return; }
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        Files.write(Path.of(ARGS.get("raw")), RAW, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** user + nice + system + irq + softirq + steal of all CPUs (the first line of /proc/stat). */
    static long machineBusy() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]) + Long.parseLong(f[8]);
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
     * takes a third of the gateway's CPU. Rounds of non-streaming, streaming and translated streaming (Anthropic
     * client, OpenAI upstream) load until the compiler threads use under 5% of the gateway's CPU in a round, or the
     * time is up.
     */
    static void warm() throws Exception {
        Target gw = gateway(), direct = direct();
        fakeShape(50, 10);
        long start = System.nanoTime(), limit = TimeUnit.SECONDS.toNanos(num("max", 60));
        double jitShare;
        do {
            jitShare = warmRound(gw, direct, ARGS.get("pid"));
            System.err.printf(Locale.ROOT, "  warm-up: JIT compiler threads at %.0f%% of the gateway's CPU%n", jitShare);
        } while (jitShare >= 5 && System.nanoTime() - start < limit);
        put("warm_s", (System.nanoTime() - start) / 1e9);
        put("warm_jit_pct", jitShare);
    }

    /**
     * One warm-up round (9 s) on the gateway gw whose process is pid: non-streaming, streaming and translated
     * streaming load (the fake's default shape must be 50 events 10 ms apart), then the fake directly. Answers the
     * share of the gateway's CPU its JIT compiler threads used in the round, in %.
     */
    static double warmRound(Target gw, Target direct, String pid) throws Exception {
        byte[] stream = gw.stream(50, 10), messages = gw.messages();
        long cpu0 = cpuTicks(pid), jit0 = jitTicks(pid);
        run(gw.port, gw.plain, 64, 4);
        runStreams(gw.port, stream, 100, 2, 50);
        runMessageStreams(gw.port, messages, 100, 2, 50);
        run(direct.port, direct.plain, 64, 1);
        return (jitTicks(pid) - jit0) * 100.0 / Math.max(1, cpuTicks(pid) - cpu0);
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
        putLatencies("seq", g, d);
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
        long cpu0 = cpuTicks(), jit0 = jitTicks(), sys0 = sysTicks(ARGS.get("pid"));
        StreamRun r = runStreams(gw.port, req, conc, num("seconds", 8), events);
        long cpu = cpuTicks() - cpu0, sys = sysTicks(ARGS.get("pid")) - sys0, jit = jitTicks() - jit0;
        put("ev_jit_pct", jit * 100.0 / cpu);
        put("ev_streams", r.streams.get());
        put("ev_events", r.events.get());
        put("ev_errors", r.errors.get());
        put("ev_per_stream", events);
        put("cpu_us_per_event", cpu * 1e6 / hz() / r.events.get());
        put("sys_us_per_event", sys * 1e6 / hz() / r.events.get());
        put("nojit_us_per_event", (cpu - jit) * 1e6 / hz() / r.events.get());
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
        putLatencies("ttfb", g, d);
    }

    /**
     * d''. time to the first streamed event right after a start: like {@link #firstByte()} without a warm-up, until
     * until= (epoch ms, bench/run.sh passes /ready + 10 s), at least 20 pairs. What a cold JIT (or the AOT cache) adds.
     */
    static void coldFirstByte() throws IOException {
        Target gw = gateway(), direct = direct();
        long until = Long.parseLong(ARGS.getOrDefault("until", "0"));
        int events = 20;
        byte[] rqg = gw.stream(events, 0), rqd = direct.stream(events, 0);
        List<Long> g = new ArrayList<>(), d = new ArrayList<>();
        try (Conn cg = new Conn(gw.port); Conn cd = new Conn(direct.port)) {
            while (g.size() < 20 || System.currentTimeMillis() < until) {
                g.add(check(cg.call(rqg), events).firstEvent());
                d.add(check(cd.call(rqd), events).firstEvent());
            }
        }
        putLatencies("cold_ttfb", g.stream().mapToLong(Long::longValue).toArray(), d.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * c'. the gateway's CPU per relayed upstream event on a translated stream: Anthropic clients, OpenAI upstream,
     * same shape as {@link #events()}. The fake's default shape is set (translated requests cannot carry the bench_*
     * fields). Upstream events relayed = the content chunks that came back as text deltas + the usage chunk when it
     * came back in message_delta; an error is a non-200, a socket error, or a stream that does not end with
     * message_stop after exactly N text deltas and a message_delta carrying output_tokens N.
     */
    static void translatedEvents() throws Exception {
        Target gw = gateway();
        int conc = num("conc", 100), events = num("events", 50), gap = num("gap", 10);
        fakeShape(events, gap);
        byte[] req = gw.messages();
        runMessageStreams(gw.port, req, conc, num("warmup", 3), events);  // warm-up: the translation code paths
        long cpu0 = cpuTicks(), jit0 = jitTicks();
        MessageRun r = runMessageStreams(gw.port, req, conc, num("seconds", 8), events);
        long cpu = cpuTicks() - cpu0;
        put("tr_ev_jit_pct", (jitTicks() - jit0) * 100.0 / cpu);
        put("tr_ev_streams", r.streams.get());
        put("tr_ev_upstream_events", r.upstreamEvents.get());
        put("tr_ev_client_events", r.clientEvents.get());
        put("tr_ev_errors", r.errors.get());
        put("tr_ev_per_stream", events);
        put("tr_cpu_us_per_event", cpu * 1e6 / hz() / r.upstreamEvents.get());
        put("tr_cpu_us_per_stream_total", cpu * 1e6 / hz() / (r.streams.get() + r.errors.get()));
        r.problems.stream().distinct().limit(5).forEach(e -> System.err.println("tr-events: error: " + e));
    }

    /**
     * d'. time to the first event of a translated stream, sequential, gateway (POST /v1/messages) and direct stream by
     * stream. Direct is the fake called with the very body the gateway sent it (captured by the fake after a first
     * gateway call), so both sides get the same answer: 20 content chunks, the usage chunk and [DONE].
     */
    static void translatedFirstByte() throws Exception {
        Target gw = gateway(), direct = direct();
        int warm = num("warm", 50), n = num("n", 300), events = 20;
        fakeShape(events, 0);
        byte[] rqg = gw.messages();
        long[] g = new long[n], d = new long[n];
        try (Conn cg = new Conn(gw.port); Conn cd = new Conn(direct.port)) {
            checkMessages(cg.call(rqg), events);
            String upstreamBody = fakeGet("/bench/last-usage-request");
            System.err.println("  the gateway sent the fake: " + upstreamBody);
            byte[] rqd = request(direct.port, direct.key, upstreamBody);
            for (int i = 0; i < warm + n; i++) {
                Reply rg = checkMessages(cg.call(rqg), events), rd = check(cd.call(rqd), events + 1); // + the usage chunk
                if (i >= warm) { g[i - warm] = rg.firstEvent(); d[i - warm] = rd.firstEvent(); }
            }
        }
        putLatencies("tr_ttfb", g, d);
    }

    /**
     * e. 1,000 streams opened at once and held open by the fake (events ~1 s apart): errors, memory, threads. The
     * figures are named after the phase: open10k is the same with n=10000, against a gateway whose upstream is HTTP/2
     * (bench/run.sh); it also reports the gateway's open files and the upstream connections (the fake's count).
     */
    static void openStreams(String phase) throws Exception {
        Target gw = gateway();
        int n = num("n", 1000), events = num("events", 12), gap = num("gap", 1000);
        // ramp=S spreads the starts evenly over S seconds (0: all at once); a stream counts from its own start
        long rampNanos = TimeUnit.SECONDS.toNanos(num("ramp", 0));
        byte[] req = gw.stream(events, gap);
        ConcurrentLinkedQueue<Long> ttfe = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> byStart = new ConcurrentLinkedQueue<>(); // {start offset, first event} in ns
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1), finished = new CountDownLatch(n);
        Sampler sampler = Sampler.start();
        long cpu0 = cpuTicks(), jit0 = jitTicks(), gc0 = gcTicks(), busy0 = machineBusy();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long startOffset = n <= 1 ? 0 : rampNanos * i / (n - 1);
            Thread.ofVirtual().start(() -> {
                try (Conn c = new Conn(gw.port)) {
                    go.await();
                    long wait = startOffset - (System.nanoTime() - t0);
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    Reply r = c.call(req);
                    String problem = r.problem(events);
                    if (problem != null) errors.add(problem);
                    else {
                        ttfe.add(r.firstEvent());
                        byStart.add(new long[] {startOffset, r.firstEvent()});
                    }
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
        long cpu = cpuTicks() - cpu0, busy = machineBusy() - busy0;
        sampler.stop();
        long[] t = ttfe.stream().mapToLong(Long::longValue).sorted().toArray();
        put(phase + "_n", n);
        put(phase + "_errors", errors.size() + finished.getCount());
        put(phase + "_wall_s", wall);
        put(phase + "_rss_mb", sampler.maxRssMb());
        put(phase + "_threads", sampler.maxThreads());
        put(phase + "_fds", sampler.maxFds());
        put(phase + "_ttfe_p50_ms", t.length == 0 ? -1 : ms(pct(t, 0.50)));
        put(phase + "_ttfe_p99_ms", t.length == 0 ? -1 : ms(pct(t, 0.99)));
        // the gateway's CPU over the whole phase (stream set-up included) per relayed event ([DONE] not counted)
        put(phase + "_cpu_us_per_event", cpu * 1e6 / num("hz", 100) / Math.max(1, (long) t.length * events));
        // shares of that CPU taken by the JIT compiler and the garbage collector (a cold JIT or a busy GC delays events)
        put(phase + "_jit_pct", (jitTicks() - jit0) * 100.0 / Math.max(1, cpu));
        put(phase + "_gc_pct", (gcTicks() - gc0) * 100.0 / Math.max(1, cpu));
        // the whole machine (gateway, fake and this client share its cores): near 100 the starts queue for CPU
        put(phase + "_machine_busy_pct", busy * 100.0 / (wall * num("hz", 100) * Runtime.getRuntime().availableProcessors()));
        if (phase.equals("open10k")) {
            String stats = fakeGet("/bench/connections"); // {"accepted":N,"open":M,"h2":K}
            System.err.println("  the fake upstream: " + stats);
            Matcher m = Pattern.compile("\"accepted\":(\\d+).*\"h2\":(\\d+)").matcher(stats);
            if (m.find()) {
                put(phase + "_upstream_connections", Long.parseLong(m.group(1)));
                put(phase + "_upstream_h2_requests", Long.parseLong(m.group(2)));
            }
        }
        if (rampNanos > 0) ttfeBySecond(byStart);
        if (!all) System.err.println(phase + ": " + finished.getCount() + " streams still running at the deadline");
        errors.stream().distinct().limit(5).forEach(e -> System.err.println(phase + ": error: " + e));
    }

    /** Prints first event p50 / p99 / max per second of the ramp the streams started in: where the slow ones began. */
    static void ttfeBySecond(ConcurrentLinkedQueue<long[]> byStart) {
        java.util.TreeMap<Long, List<Long>> bySecond = new java.util.TreeMap<>();
        for (long[] s : byStart) bySecond.computeIfAbsent(s[0] / 1_000_000_000L, k -> new ArrayList<>()).add(s[1]);
        StringBuilder line = new StringBuilder("  first event p50/p99/max ms by the second a stream started:");
        bySecond.forEach((second, list) -> {
            long[] t = list.stream().mapToLong(Long::longValue).sorted().toArray();
            line.append(String.format(Locale.ROOT, " %ds %.0f/%.0f/%.0f", second, ms(pct(t, 0.5)), ms(pct(t, 0.99)), ms(t[t.length - 1])));
        });
        System.err.println(line);
    }

    // ---------------------------------------------------------------- report

    /** a + b, null when neither was measured. */
    static Double sum(Double a, Double b) {
        return a == null && b == null ? null : (a == null ? 0 : a) + (b == null ? 0 : b);
    }

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
        // a relay started for this phase is still compiling (13-19% of its CPU in the measured run): the floor's rows
        // and the gateway's own row beside them leave the JIT's ticks out, so they compare like with like
        r.one("  (that CPU, JIT left out, us)", v.get("nojit_us_per_event"), "", Double.NaN, false);
        r.one("  (bare relay, same shape, JIT out, us)", v.get("floor_handoff_nojit_us_per_event"), "", Double.NaN, false);
        r.one("  (bare relay, one loop, JIT out, us)", v.get("floor_loop_nojit_us_per_event"), "", Double.NaN, false);
        r.one("  (bare NIO byte pump, JIT out, us)", v.get("floor_pump_nojit_us_per_event"), "", Double.NaN, false);
        r.note("  (kernel: gateway/shape/loop/pump, us)", Stream.of("sys_us_per_event",
                "floor_handoff_sys_us_per_event", "floor_loop_sys_us_per_event", "floor_pump_sys_us_per_event")
                .map(k -> Row.fmt(v.get(k))).collect(Collectors.joining(" / ")));
        r.one("  (bare relays' stream errors)", sum(sum(v.get("floor_handoff_errors"), v.get("floor_loop_errors")),
                v.get("floor_pump_errors")), "0", 0, false);
        r.one("CPU per relayed event, translated, us", v.get("tr_cpu_us_per_event"), "", Double.NaN, false);
        r.one("  (JIT share of that CPU, %)", v.get("tr_ev_jit_pct"), "", Double.NaN, false);
        r.one("  (stream CPU incl. setup, us/stream)", v.get("tr_cpu_us_per_stream_total"), "", Double.NaN, false);
        r.note("  (streams / upstream events relayed)", Row.fmt(v.get("tr_ev_streams")) + " / " + Row.fmt(v.get("tr_ev_upstream_events")));
        Double trStreams = v.get("tr_ev_streams"), trClient = v.get("tr_ev_client_events");
        r.note("  (Anthropic events received / per stream)", Row.fmt(trClient) + " / "
                + Row.fmt(trStreams == null || trClient == null || trStreams == 0 ? null : trClient / trStreams));
        r.one("  (streams not ending in message_stop etc.)", v.get("tr_ev_errors"), "0", 0, false);
        r.added("time to first event p50, ms", "ttfb_gw_p50_ms", "ttfb_direct_p50_ms", "<= 1 added", 1);
        r.added("time to first event p99, ms", "ttfb_gw_p99_ms", "ttfb_direct_p99_ms", "", Double.NaN);
        r.added("time to first event p50, translated, ms", "tr_ttfb_gw_p50_ms", "tr_ttfb_direct_p50_ms", "", Double.NaN);
        r.added("time to first event p99, translated, ms", "tr_ttfb_gw_p99_ms", "tr_ttfb_direct_p99_ms", "", Double.NaN);
        r.one("start-up to /ready, ms", v.get("startup_ready_ms"), "", Double.NaN, false);
        r.one("  (RSS at /ready, MB)", v.get("ready_rss_mb"), "", Double.NaN, false);
        r.note("  (AOT cache)", v.containsKey("aot_cache") ? (v.get("aot_cache") > 0 ? "used" : "not used") : "MISSING");
        r.added("first event p50, first 10 s after /ready, ms", "cold_ttfb_gw_p50_ms", "cold_ttfb_direct_p50_ms", "<= 3 added", 3);
        r.added("first event p99, first 10 s after /ready, ms", "cold_ttfb_gw_p99_ms", "cold_ttfb_direct_p99_ms", "", Double.NaN);
        r.one("  (streams in those 10 s)", v.get("cold_ttfb_n"), "", Double.NaN, false);
        r.one("JIT warm-up before measuring, s", v.get("warm_s"), "", Double.NaN, false);
        r.one("  (JIT share of CPU in its last round, %)", v.get("warm_jit_pct"), "", Double.NaN, false);
        r.one("RSS idle (after the first 10 s), MB", v.get("idle_rss_mb"), "", Double.NaN, false);
        r.one("threads idle", v.get("idle_threads"), "", Double.NaN, false);
        r.one("RSS max under non-streaming load, MB", v.get("load_rss_mb"), "<= 300", 300, false);
        r.one("threads max under non-streaming load", v.get("load_threads"), "", Double.NaN, false);
        r.one("1,000 open streams: errors", v.get("open_errors"), "0", 0, false);
        r.one("1,000 open streams: RSS max, MB", v.get("open_rss_mb"), "", Double.NaN, false);
        r.one("1,000 open streams: threads max", v.get("open_threads"), "", Double.NaN, false);
        r.one("1,000 open streams: first event p50, ms", v.get("open_ttfe_p50_ms"), "", Double.NaN, false);
        r.one("1,000 open streams: first event p99, ms", v.get("open_ttfe_p99_ms"), "", Double.NaN, false);
        r.one("1,000 open streams: wall time, s", v.get("open_wall_s"), "", Double.NaN, false);
        r.one("  (gateway CPU per relayed event, us)", v.get("open_cpu_us_per_event"), "", Double.NaN, false);
        r.one("  (gateway open files max)", v.get("open_fds"), "", Double.NaN, false);
        r.one("10,000 open streams, h2 upstream: errors", v.get("open10k_errors"), "0", 0, false);
        r.one("10,000 open streams: first event p50, ms", v.get("open10k_ttfe_p50_ms"), "", Double.NaN, false);
        r.one("10,000 open streams: first event p99, ms", v.get("open10k_ttfe_p99_ms"), "<= 100", 100, false);
        r.one("10,000 open streams: RSS max, MB", v.get("open10k_rss_mb"), "<= 1024", 1024, false);
        r.one("10,000 open streams: threads max", v.get("open10k_threads"), "<= 300", 300, false);
        r.one("10,000 open streams: gateway open files max", v.get("open10k_fds"), "< 20000", 19999, false);
        r.one("10,000 open streams: upstream connections", v.get("open10k_upstream_connections"), "", Double.NaN, false);
        r.one("10,000 open streams: wall time, s", v.get("open10k_wall_s"), "", Double.NaN, false);
        r.one("  (gateway CPU per relayed event, us)", v.get("open10k_cpu_us_per_event"), "", Double.NaN, false);
        r.one("  (JIT compiler threads' share of it, %)", v.get("open10k_jit_pct"), "", Double.NaN, false);
        r.one("  (garbage collector's share of it, %)", v.get("open10k_gc_pct"), "", Double.NaN, false);
        r.one("  (machine busy over the phase, %)", v.get("open10k_machine_busy_pct"), "", Double.NaN, false);
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

    record MessageRun(AtomicLong streams, AtomicLong upstreamEvents, AtomicLong clientEvents, AtomicLong errors,
                      ConcurrentLinkedQueue<String> problems) {}

    /** {@link #runStreams} for Anthropic Messages streams: counts upstream events relayed and Anthropic events received. */
    static MessageRun runMessageStreams(int port, byte[] req, int conc, int seconds, int events) throws InterruptedException {
        MessageRun r = new MessageRun(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new ConcurrentLinkedQueue<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Conn c = new Conn(port)) {
                    while (System.nanoTime() < end) {
                        try {
                            Reply reply = c.call(req);
                            r.upstreamEvents.addAndGet(reply.upstreamEventsRelayed(events));
                            r.clientEvents.addAndGet(reply.eventLines);
                            String problem = reply.anthropicProblem(events);
                            if (problem == null) r.streams.incrementAndGet();
                            else { r.errors.incrementAndGet(); if (r.problems.size() < 100) r.problems.add(problem); }
                        } catch (IOException e) {
                            r.errors.incrementAndGet();
                            if (r.problems.size() < 100) r.problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                            c.drop();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return r;
    }

    // ---------------------------------------------------------------- the fake's bench controls

    /** Sets the fake's stream shape for requests that do not carry bench_events / bench_gap_ms (translated ones). */
    static void fakeShape(int events, int gapMs) throws IOException, InterruptedException {
        fakeCall(HttpRequest.newBuilder(fakeUri("/bench/shape?events=" + events + "&gap_ms=" + gapMs))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    static String fakeGet(String path) throws IOException, InterruptedException {
        return fakeCall(HttpRequest.newBuilder(fakeUri(path)).GET().build());
    }

    private static URI fakeUri(String path) { return URI.create("http://127.0.0.1:" + num("fake", 0) + path); }

    private static String fakeCall(HttpRequest request) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("fake upstream: " + request.uri().getPath() + " answered " + r.statusCode());
            return r.body();
        }
    }

    /** {@code PREFIX_n} and the p50 and p99 of the gateway's and the fake's own figures, in ms (sorts both). */
    static void putLatencies(String prefix, long[] g, long[] d) {
        Arrays.sort(g);
        Arrays.sort(d);
        put(prefix + "_n", g.length);
        put(prefix + "_gw_p50_ms", ms(pct(g, 0.50)));
        put(prefix + "_gw_p99_ms", ms(pct(g, 0.99)));
        put(prefix + "_direct_p50_ms", ms(pct(d, 0.50)));
        put(prefix + "_direct_p99_ms", ms(pct(d, 0.99)));
    }

    // ---------------------------------------------------------------- HTTP

    record Target(int port, byte[] plain, String key) {
        byte[] stream(int events, int gapMs) {
            return request(port, key, "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"stream\":true,\"bench_events\":" + events + ",\"bench_gap_ms\":" + gapMs + "}");
        }

        /** An Anthropic Messages stream for an OpenAI-compatible model: the gateway translates both ways. */
        byte[] messages() {
            return http(port, "/v1/messages", "x-api-key: " + key + "\r\nanthropic-version: 2023-06-01",
                    "{\"model\":\"openai/gpt-4.1\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        }
    }

    static Target gateway() { return target(num("gw", 0)); }

    static Target direct() { return target(num("fake", 0)); }

    static Target target(int port) { return target(port, ARGS.get("key")); }

    /** A non-streamed chat completion for openai/gpt-4.1 (a priced model) with this key. */
    static Target target(int port, String key) {
        return new Target(port, request(port, key, "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), key);
    }

    /** A required {@code name=value} argument of the phase. */
    static String arg(String name) {
        String v = ARGS.get(name);
        if (v == null) throw new IllegalArgumentException("missing " + name + "=");
        return v;
    }

    static byte[] request(int port, String key, String body) {
        return http(port, "/v1/chat/completions", "Authorization: Bearer " + key, body);
    }

    static byte[] http(int port, String path, String auth, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth
                + "\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + b.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /**
     * A response: status, timings (nanoTime) and, for SSE, the data lines seen; for Anthropic streams also the
     * "event:" lines, the content_block_delta events, the last event's name and the message_delta data line.
     */
    record Reply(int status, long sent, long firstBody, long end, int dataLines, boolean done,
                 int eventLines, int deltas, String lastEvent, String messageDelta) {
        private static final Pattern OUTPUT_TOKENS = Pattern.compile("\"output_tokens\"\\s*:\\s*(\\d+)");

        long total() { return end - sent; }

        long firstEvent() { return firstBody - sent; }

        /** Null when it is a complete 200 answer with the expected number of events (0: not a stream). */
        String problem(int events) {
            if (status != 200) return "status " + status;
            if (events > 0 && (dataLines != events || !done)) return "got " + dataLines + " events, [DONE]=" + done;
            return null;
        }

        /** The output_tokens of message_delta, -1 when there is none. */
        long outputTokens() {
            if (messageDelta == null) return -1;
            Matcher m = OUTPUT_TOKENS.matcher(messageDelta);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        /** Upstream events this translated stream relayed: a text delta per content chunk, plus the usage chunk. */
        int upstreamEventsRelayed(int events) { return deltas + (outputTokens() == events ? 1 : 0); }

        /**
         * Null when it is a complete Anthropic stream for a fake stream of the given number of content chunks: 200,
         * that many content_block_delta events, a message_delta with output_tokens = that number (the usage chunk
         * was relayed), and message_stop as the last event.
         */
        String anthropicProblem(int events) {
            if (status != 200) return "status " + status;
            if (!"message_stop".equals(lastEvent)) return "last event " + lastEvent + " after " + eventLines + " events";
            if (deltas != events) return "got " + deltas + " content_block_delta events, expected " + events;
            if (outputTokens() != events) return "message_delta without output_tokens " + events + ": " + messageDelta;
            return null;
        }
    }

    static Reply checkMessages(Reply r, int events) {
        String problem = r.anthropicProblem(events);
        if (problem != null) throw new IllegalStateException(problem);
        return r;
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
        // SSE line scanning state (a line longer than the buffer is seen by its head only)
        private final byte[] lineBuf = new byte[1024];
        private int lineLength, dataLines, eventLines, deltas;
        private boolean done;
        private String event, messageDelta;

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
            lineLength = dataLines = eventLines = deltas = 0;
            done = false;
            event = messageDelta = null;
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
            return new Reply(status, sent, firstBody, end, dataLines, done, eventLines, deltas, event, messageDelta);
        }

        /**
         * Counts SSE "data:" lines (and the final "data: [DONE]") across chunk boundaries; for Anthropic streams also
         * the "event:" lines, the content_block_delta ones, the last event's name and the message_delta data line.
         */
        private void scan(byte[] data) {
            for (byte b : data) {
                if (b == '\n') {
                    endLine(Math.min(lineLength, lineBuf.length));
                    lineLength = 0;
                } else {
                    if (lineLength < lineBuf.length) lineBuf[lineLength] = b;
                    lineLength++;
                }
            }
        }

        private static final byte[] DATA = ascii("data:"), DONE = ascii("data: [DONE]"), EVENT = ascii("event:"),
                DELTA = ascii("event: content_block_delta");

        private void endLine(int n) {
            if (n > 0 && lineBuf[n - 1] == '\r') n--;
            if (startsWith(DATA, n)) {
                if (startsWith(DONE, n)) done = true;
                else {
                    dataLines++;
                    if ("message_delta".equals(event)) messageDelta = new String(lineBuf, 0, n, StandardCharsets.UTF_8);
                }
            } else if (startsWith(EVENT, n)) {
                eventLines++;
                if (n == DELTA.length && startsWith(DELTA, n)) {
                    deltas++;
                    event = "content_block_delta";
                } else {
                    event = new String(lineBuf, EVENT.length, n - EVENT.length, StandardCharsets.US_ASCII).trim();
                    if (event.equals("content_block_delta")) deltas++;
                }
            }
        }

        private boolean startsWith(byte[] prefix, int n) {
            if (n < prefix.length) return false;
            for (int i = 0; i < prefix.length; i++) if (lineBuf[i] != prefix[i]) return false;
            return true;
        }

        private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

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
        private long maxRssKb, maxThreads, maxFds;
        private Thread thread;

        static Sampler start() {
            Sampler s = new Sampler();
            s.thread = Thread.ofPlatform().daemon().start(s::loop);
            return s;
        }

        private void loop() {
            Path status = Path.of("/proc", ARGS.get("pid"), "status"), fds = Path.of("/proc", ARGS.get("pid"), "fd");
            for (int round = 0; running; round++) {
                try {
                    for (String l : Files.readAllLines(status)) {
                        if (l.startsWith("VmRSS:")) maxRssKb = Math.max(maxRssKb, Long.parseLong(l.replaceAll("\\D", "")));
                        if (l.startsWith("Threads:")) maxThreads = Math.max(maxThreads, Long.parseLong(l.replaceAll("\\D", "")));
                    }
                    // open files once a second: listing 10,000 of them costs more than reading the status
                    if (round % 10 == 0) {
                        try (var list = Files.list(fds)) { maxFds = Math.max(maxFds, list.count()); }
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

        long maxFds() { return maxFds; }
    }

    /** utime + stime of the gateway, in clock ticks (/proc/PID/stat fields 14 and 15). */
    static long cpuTicks() throws IOException { return cpuTicks(ARGS.get("pid")); }

    /** utime + stime of process pid, in clock ticks. */
    static long cpuTicks(String pid) throws IOException { return ticks(Path.of("/proc", pid, "stat"), true); }

    /** stime of process pid, in clock ticks: the kernel's part of cpuTicks (its system calls and the loopback TCP path). */
    static long sysTicks(String pid) throws IOException { return ticks(Path.of("/proc", pid, "stat"), false); }

    /** stime, plus utime when withUser, from a /proc stat file (fields 14 and 15, counted after the command's ')'). */
    private static long ticks(Path statFile, boolean withUser) throws IOException {
        String stat = Files.readString(statFile);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (withUser ? Long.parseLong(f[11]) : 0) + Long.parseLong(f[12]);
    }

    /** CPU ticks of the gateway's JIT compiler threads (C1 and C2), to tell warm-up from steady state. */
    static long jitTicks() throws IOException { return jitTicks(ARGS.get("pid")); }

    /** CPU ticks of the JIT compiler threads of process pid. */
    static long jitTicks(String pid) throws IOException {
        return threadTicks(pid, name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler"));
    }

    static long gcTicks() throws IOException { return gcTicks(ARGS.get("pid")); }

    /** CPU ticks of the garbage collector's threads of process pid (G1's, Serial's and Parallel's, and the VM thread). */
    static long gcTicks(String pid) throws IOException {
        return threadTicks(pid, name -> name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread"));
    }

    /** CPU ticks of the threads of process pid whose name (comm) passes named. */
    static long threadTicks(String pid, java.util.function.Predicate<String> named) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (!named.test(Files.readString(t.resolve("comm")))) continue;
                    sum += ticks(t.resolve("stat"), true);
                } catch (IOException gone) {
                    // a thread that just ended
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
