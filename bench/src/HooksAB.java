import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A/B benchmark of the empty extension points (bench/hooks-ab.sh). Gateway A runs the routes as they are; gateway B the
 * same routes without the steps that call direct:before-upstream, direct:after-response and direct:on-error (the hook
 * routes themselves are still loaded, only nothing calls them). Both run from snapshots of the same jar with the same
 * JVM settings, against the same fake upstream; they are measured interleaved, request by request or slice by slice.
 *
 *   java -cp classes HooksAB <phase> a=PORT b=PORT pida=PID pidb=PID keya=KEY keyb=KEY fake=PORT pidf=FAKE_PID
 *                                    hz=CLK_TCK raw=FILE
 *
 * Phases: warm, seq, rps, events, tr-events (each appends key=value lines to the raw file), report (prints the table from the raw
 * file and writes it to table=FILE). The load itself is Load's: its runners, its connections, its warm-up round.
 */
public final class HooksAB {
    private static final List<String> RAW = new ArrayList<>();

    /** One gateway under test: its name in the raw file ("a" or "b"), its requests, its process. */
    record Gw(String name, Load.Target target, String pid) {}

    private static Gw a, b;
    private static Load.Target direct;

    public static void main(String[] args) throws Exception {
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = arg.indexOf('=');
            Load.ARGS.put(arg.substring(0, eq), arg.substring(eq + 1));   // Load's helpers read fake=, hz=
        }
        if (!args[0].equals("report")) {
            a = gw("a");
            b = gw("b");
            direct = Load.target(Load.num("fake", 0), Load.arg("keya"));
        }
        switch (args[0]) {
            case "warm" -> warm();
            case "seq" -> sequential();
            case "rps" -> throughput();
            case "events" -> events();
            case "tr-events" -> translatedEvents();
            case "report" -> { report(); return; }
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        Files.write(Path.of(Load.arg("raw")), RAW, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Gw gw(String name) {
        return new Gw(name, Load.target(Load.num(name, 0), Load.arg("key" + name)), Load.arg("pid" + name));
    }


    // ---------------------------------------------------------------- phases

    /**
     * Load's JIT warm-up round (9 s: non-streaming, streams, translated streams, then the fake directly), on A and on
     * B in turn (A B, then B A, ...), until the JIT compiler threads use under 5% of each gateway's CPU in its last
     * round or a further pair of rounds would not fit in max= seconds. Both get the same rounds.
     */
    static void warm() throws Exception {
        Load.fakeShape(50, 10);
        long start = System.nanoTime();
        double limit = Load.num("max", 45), ja, jb, pair;
        int pairs = 0;
        do {
            long t0 = System.nanoTime();
            boolean aFirst = pairs % 2 == 0;
            double first = Load.warmRound((aFirst ? a : b).target(), direct, (aFirst ? a : b).pid());
            double second = Load.warmRound((aFirst ? b : a).target(), direct, (aFirst ? b : a).pid());
            ja = aFirst ? first : second;
            jb = aFirst ? second : first;
            pairs++;
            pair = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "  warm-up pair %d: JIT compiler threads at %.0f%% (A) / %.0f%% (B) of the gateway's CPU%n",
                    pairs, ja, jb);
        } while ((ja >= 5 || jb >= 5) && (System.nanoTime() - start) / 1e9 + pair <= limit);
        put("warm_s", (System.nanoTime() - start) / 1e9);
        put("warm_rounds", pairs);
        put("warm_jit_pct_a", ja);
        put("warm_jit_pct_b", jb);
    }

    /**
     * Sequential non-streaming requests, one keep-alive connection each to A, B and the fake, interleaved request by
     * request (A B direct, then B A direct, ...): warm= triples, then rounds= rounds of n= triples. Percentiles per
     * round and over all rounds.
     */
    static void sequential() throws IOException {
        int warm = Load.num("warm", 500), n = Load.num("n", 3000), rounds = Load.num("rounds", 3);
        long[][] all = new long[3][n * rounds];
        try (Load.Conn ca = new Load.Conn(a.target().port()); Load.Conn cb = new Load.Conn(b.target().port());
             Load.Conn cd = new Load.Conn(direct.port())) {
            for (int i = 0; i < warm; i++) triple(ca, cb, cd, i, null, 0);
            Snap s0 = Snap.of(a);
            for (int r = 1; r <= rounds; r++) {
                long[][] t = new long[3][n];
                for (int i = 0; i < n; i++) triple(ca, cb, cd, i, t, i);
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(t[k], 0, all[k], (r - 1) * n, n);
                    percentiles(t[k], "seq_r" + r + "_" + "abd".charAt(k));
                }
            }
            Snap.of(a).minus(s0, "seq_");
        }
        put("seq_n", n);
        put("seq_warm", warm);
        put("seq_rounds", rounds);
        for (int k = 0; k < 3; k++) percentiles(all[k], "seq_" + "abd".charAt(k));
    }

    private static void triple(Load.Conn ca, Load.Conn cb, Load.Conn cd, int i, long[][] t, int at) throws IOException {
        long ta, tb;
        if (i % 2 == 0) {
            ta = Load.check(ca.call(a.target().plain()), 0).total();
            tb = Load.check(cb.call(b.target().plain()), 0).total();
        } else {
            tb = Load.check(cb.call(b.target().plain()), 0).total();
            ta = Load.check(ca.call(a.target().plain()), 0).total();
        }
        long td = Load.check(cd.call(direct.plain()), 0).total();
        if (t != null) { t[0][at] = ta; t[1][at] = tb; t[2][at] = td; }
    }

    private static void percentiles(long[] times, String prefix) {
        long[] s = times.clone();
        Arrays.sort(s);
        put(prefix + "_p50_ms", Load.ms(Load.pct(s, 0.50)));
        put(prefix + "_p90_ms", Load.ms(Load.pct(s, 0.90)));
        put(prefix + "_p99_ms", Load.ms(Load.pct(s, 0.99)));
    }

    /** The order of the slices: A B B A, so a steady drift (JIT still settling, heap) weighs on A and B alike. */
    private static Gw[] slices() { return new Gw[] {a, b, b, a}; }

    /**
     * CPU per non-streaming request: conc= connections back to back (as Load's rps phase), slice= seconds a slice, in
     * the order A B B A after a second of the same load on each; the gateway's utime+stime during its slice ÷
     * requests served.
     */
    static void throughput() throws Exception {
        int conc = Load.num("conc", 16), slice = Load.num("slice", 5);
        Load.run(a.target().port(), a.target().plain(), conc, 1);
        Load.run(b.target().port(), b.target().plain(), conc, 1);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Gw g : slices()) {
            String p = "rps_" + g.name() + seen.merge(g.name(), 1, Integer::sum) + "_";
            settle();
            Snap s0 = Snap.of(g);
            Load.Run r = Load.run(g.target().port(), g.target().plain(), conc, slice);
            Snap.of(g).minus(s0, p);
            put(p + "ok", r.ok());
            put(p + "errors", r.errors());
        }
        put("rps_conc", conc);
        put("slice_s", slice);
    }

    /**
     * CPU per relayed SSE event (as Load's events phase: conc= streams of events= events gap= ms apart), seconds= a
     * slice, in the order A B B A after a second of streams on each; the gateway's CPU during its slice ÷ data events
     * received.
     */
    static void events() throws Exception {
        int conc = Load.num("conc", 100), events = Load.num("events", 50), gap = Load.num("gap", 10),
                seconds = Load.num("seconds", 4);
        for (Gw g : new Gw[] {a, b}) Load.runStreams(g.target().port(), g.target().stream(events, gap), conc, 1, events);
        streamSlices("ev_", g -> {
            Load.StreamRun r = Load.runStreams(g.target().port(), g.target().stream(events, gap), conc, seconds, events);
            return new long[] {r.events().get(), r.streams().get(), r.errors().get()};
        });
        put("ev_conc", conc);
        put("ev_per_stream", events);
        put("ev_slice_s", seconds);
        put("ev_gap_ms", gap);
    }

    /**
     * CPU per relayed event of a translated stream (as Load's tr-events phase: an Anthropic Messages caller of
     * openai/gpt-4.1, conc= streams of events= upstream events gap= ms apart), seconds= a slice, A B B A after two
     * seconds of such streams on each; the gateway's CPU during its slice ÷ upstream events relayed. It sets the
     * fake's default stream shape, so it runs after the phases whose requests do not carry their own.
     */
    static void translatedEvents() throws Exception {
        int conc = Load.num("conc", 100), events = Load.num("events", 50), gap = Load.num("gap", 10),
                seconds = Load.num("seconds", 4);
        Load.fakeShape(events, gap);
        for (Gw g : new Gw[] {a, b}) Load.runMessageStreams(g.target().port(), g.target().messages(), conc, 2, events);
        streamSlices("tr_", g -> {
            Load.MessageRun r = Load.runMessageStreams(g.target().port(), g.target().messages(), conc, seconds, events);
            return new long[] {r.upstreamEvents().get(), r.streams().get(), r.errors().get()};
        });
    }

    /** One slice of streams per gateway in the order A B B A; {@code run} answers {events, streams, errors}. */
    private interface StreamSlice { long[] run(Gw g) throws Exception; }

    private static void streamSlices(String prefix, StreamSlice run) throws Exception {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Gw g : slices()) {
            String p = prefix + g.name() + seen.merge(g.name(), 1, Integer::sum) + "_";
            settle();
            Snap s0 = Snap.of(g);
            long[] counts = run.run(g);
            Snap.of(g).minus(s0, p);
            put(p + "events", counts[0]);
            put(p + "streams", counts[1]);
            put(p + "errors", counts[2]);
        }
    }

    /**
     * A pause before each slice (settle= ms, default 500): what the gateway loaded last still does once its load
     * stops (closing connections, a collection) must not fall into the next slice, which may be the other gateway's.
     */
    private static void settle() throws InterruptedException { Thread.sleep(Load.num("settle", 500)); }

    /**
     * CPU clock ticks at one moment: the gateway under test, its JIT compiler threads, the whole machine busy
     * (/proc/stat) and the processes of this benchmark (both gateways, the fake, this client), so that what other
     * processes took from the machine during a slice can be shown next to the figures.
     */
    record Snap(long gw, long jit, long idle, long busy, long ours, long nanos) {
        static Snap of(Gw g) throws IOException {
            long ours = Load.cpuTicks(a.pid()) + Load.cpuTicks(b.pid()) + Load.cpuTicks(Load.arg("pidf"))
                    + Load.cpuTicks(Long.toString(ProcessHandle.current().pid()));
            return new Snap(Load.cpuTicks(g.pid()), Load.jitTicks(g.pid()), Load.cpuTicks((g == a ? b : a).pid()),
                    Load.machineBusy(), ours, System.nanoTime());
        }

        /** Puts the slice's figures under prefix p. */
        void minus(Snap s0, String p) {
            put(p + "ticks", gw - s0.gw);
            put(p + "jit_ticks", jit - s0.jit);
            put(p + "idle_gw_ticks", idle - s0.idle);   // the gateway not under load
            put(p + "other_ticks", Math.max(0, (busy - s0.busy) - (ours - s0.ours)));
            put(p + "seconds", (nanos - s0.nanos) / 1e9);
        }
    }

    // ---------------------------------------------------------------- report

    private static Map<String, Double> v;
    private static StringBuilder out;

    static void report() throws IOException {
        v = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(Load.arg("raw")))) {
            int eq = line.indexOf('=');
            if (eq > 0) v.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
        }
        double hz = Load.hz();
        out = new StringBuilder();
        // another A/B (bench/pools-ab.sh: two builds) names its gateways: title=, alabel=, blabel=, about= (one line)
        String title = Load.ARGS.get("title");
        out.append(String.format(Locale.ROOT, "%s, %s, %d CPUs%n", title != null ? title : "empty extension points: with hooks (A) vs without (B)",
                java.time.LocalDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors()));
        if (title != null) {
            out.append(Load.ARGS.getOrDefault("about", "")).append(String.format(Locale.ROOT, "%n"));
        } else if ("1".equals(Load.ARGS.get("control"))) {
            out.append(String.format(Locale.ROOT, "CONTROL RUN: A and B both the routes of %s with the hooks, target/canaryllm.jar of %s:%n"
                    + "   A-B is how far apart two identical gateways measure%n",
                    Load.ARGS.getOrDefault("routes", "?"), Load.ARGS.getOrDefault("jar", "?")));
        } else {
            out.append(String.format(Locale.ROOT, "A: the routes of %s, target/canaryllm.jar of %s; B: the same without their %s `to:` steps"
                    + " to%n   direct:before-upstream, direct:after-response and direct:on-error (the hook routes still loaded)%n",
                    Load.ARGS.getOrDefault("routes", "?"), Load.ARGS.getOrDefault("jar", "?"), fmt(v.get("removed_steps"))));
        }
        out.append(String.format(Locale.ROOT, "%-40s %9s %9s %9s %9s %7s %9s  %s%n",
                "figure", Load.ARGS.getOrDefault("alabel", "A hooks"),
                Load.ARGS.getOrDefault("blabel", "1".equals(Load.ARGS.get("control")) ? "B hooks" : "B none"), "direct", "A-B", "A-B %",
                "noise", "verdict"));

        int rounds = (int) (double) v.getOrDefault("seq_rounds", 0.0);
        for (String q : new String[] {"p50", "p90", "p99"}) {
            List<Double> ra = new ArrayList<>(), rb = new ArrayList<>(), diff = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Double x = v.get("seq_r" + r + "_a_" + q + "_ms"), y = v.get("seq_r" + r + "_b_" + q + "_ms");
                ra.add(x);
                rb.add(y);
                diff.add(x == null || y == null ? null : x - y);
            }
            row("latency " + q + ", sequential, ms", v.get("seq_a_" + q + "_ms"), v.get("seq_b_" + q + "_ms"),
                    v.get("seq_d_" + q + "_ms"), spread(diff));
            out.append(String.format(Locale.ROOT, "  by round: A %s | B %s | A-B %s%n", list(ra), list(rb), list(diff)));
        }

        String conns = fmt(v.get("rps_conc")) + " conns";
        cpuRow("rps", "CPU per request, " + conns + ", ms", "ok", 1000 / hz, false);
        cpuRow("rps", "  same, JIT compiler threads left out, ms", "ok", 1000 / hz, true);
        List<Double> rps = new ArrayList<>();
        for (String k : new String[] {"a1", "b1", "b2", "a2"}) rps.add(ratio(v.get("rps_" + k + "_ok"), v.get("rps_" + k + "_seconds")));
        row("requests/s, " + conns, ratio(sum("rps_a", "ok"), sum("rps_a", "seconds")),
                ratio(sum("rps_b", "ok"), sum("rps_b", "seconds")), null, sameGateway(rps));
        slicesLine(rps);
        cpuRow("ev", "CPU per relayed event, us", "events", 1e6 / hz, false);
        cpuRow("ev", "  same, JIT compiler threads left out, us", "events", 1e6 / hz, true);
        if (v.containsKey("tr_a1_events")) {
            cpuRow("tr", "CPU per relayed event, translated, us", "events", 1e6 / hz, false);
            cpuRow("tr", "  same, JIT compiler threads left out, us", "events", 1e6 / hz, true);
            pair("errors (translated streams)", fmt(sum("tr_a", "errors")), fmt(sum("tr_b", "errors")));
        }
        pair("errors (requests / streams)", fmt(sum("rps_a", "errors")) + " / " + fmt(sum("ev_a", "errors")),
                fmt(sum("rps_b", "errors")) + " / " + fmt(sum("ev_b", "errors")));
        pair("JIT share of that CPU (req / events), %", fmt(jitPct("rps_a")) + " / " + fmt(jitPct("ev_a")),
                fmt(jitPct("rps_b")) + " / " + fmt(jitPct("ev_b")));
        pair("JIT share at the end of warm-up, %", fmt(v.get("warm_jit_pct_a")), fmt(v.get("warm_jit_pct_b")));
        out.append(String.format(Locale.ROOT, "warm-up: %s pairs of Load's warm-up rounds (A B, B A, ...) in %s s%n",
                fmt(v.get("warm_rounds")), fmt(v.get("warm_s"))));
        out.append(String.format(Locale.ROOT, "other processes on the machine, CPUs busy: %s during the latency rounds, %s / %s"
                        + " during the request / event slices%n", fmt(otherCores("seq_")), fmt(otherCores("rps_", "other_ticks")),
                fmt(otherCores("ev_", "other_ticks"))));
        out.append(String.format(Locale.ROOT, "the gateway not under load meanwhile, CPUs busy: %s / %s during the request / event"
                + " slices%n", fmt(otherCores("rps_", "idle_gw_ticks")), fmt(otherCores("ev_", "idle_gw_ticks"))));
        out.append(String.format(Locale.ROOT, "latency: %s rounds of %s requests to A, B and the fake directly, interleaved request by"
                + " request (after %s such triples); CPU: %s s slices of %s connections back to back, and %s s slices of %s"
                + " streams x %s events %s ms apart, in the order A B B A.%n", rounds, fmt(v.get("seq_n")), fmt(v.get("seq_warm")),
                fmt(v.get("slice_s")), fmt(v.get("rps_conc")), fmt(v.get("ev_slice_s")), fmt(v.get("ev_conc")),
                fmt(v.get("ev_per_stream")), fmt(v.get("ev_gap_ms"))));
        out.append("noise: latency rows, the spread (max - min) of A-B across the rounds; CPU and requests/s rows, the larger\n"
                + "of B vs B (its two slices, back to back) and A vs A (its two, first and last). 'within noise': |A-B| <= noise.\n");
        System.out.print(out);
        if (Load.ARGS.containsKey("table")) Files.writeString(Path.of(Load.arg("table")), out);
    }

    /** A CPU row from the A B B A slices: total ticks ÷ total count per gateway. */
    private static void cpuRow(String phase, String name, String count, double scale, boolean noJit) {
        List<Double> per = new ArrayList<>();
        double[] ticks = new double[2], n = new double[2];
        boolean complete = true;
        for (String k : new String[] {"a1", "b1", "b2", "a2"}) {
            String p = phase + "_" + k + "_";
            Double t = v.get(p + "ticks"), j = v.get(p + "jit_ticks"), c = v.get(p + count);
            if (t == null || j == null || c == null || c == 0) { per.add(null); complete = false; continue; }
            double used = t - (noJit ? j : 0);
            per.add(used * scale / c);
            int g = k.charAt(0) == 'a' ? 0 : 1;
            ticks[g] += used;
            n[g] += c;
        }
        row(name, complete ? ticks[0] * scale / n[0] : null, complete ? ticks[1] * scale / n[1] : null, null, sameGateway(per));
        slicesLine(per);
    }

    private static void slicesLine(List<Double> abba) {
        out.append(String.format(Locale.ROOT, "  slices A B B A: %s   (B vs B %s, A vs A %s)%n", list(abba),
                fmt(abs(abba.get(1), abba.get(2))), fmt(abs(abba.get(0), abba.get(3)))));
    }

    private static void row(String name, Double av, Double bv, Double dv, Double noise) {
        Double diff = av == null || bv == null ? null : av - bv;
        Double pct = diff == null || bv == 0 ? null : diff * 100 / bv;
        String verdict = diff == null || noise == null ? "MISSING"
                : Math.abs(diff) <= noise ? "within noise" : diff > 0 ? "A higher" : "A lower";
        out.append(String.format(Locale.ROOT, "%-40s %9s %9s %9s %9s %7s %9s  %s%n", name, fmt(av), fmt(bv), fmt(dv), fmt(diff),
                pct == null ? "" : String.format(Locale.ROOT, "%+.1f", pct), fmt(noise), verdict));
    }

    private static void pair(String name, String av, String bv) {
        out.append(String.format(Locale.ROOT, "%-40s %9s %9s%n", name, av, bv));
    }

    private static Double spread(List<Double> xs) {
        if (xs.isEmpty() || xs.contains(null)) return null;
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0) - xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static Double abs(Double x, Double y) { return x == null || y == null ? null : Math.abs(x - y); }

    /** Noise of a slice figure (slices A B B A): how far apart a gateway's two slices are, the larger of B vs B and A vs A. */
    private static Double sameGateway(List<Double> abba) {
        Double bb = abs(abba.get(1), abba.get(2)), aa = abs(abba.get(0), abba.get(3));
        return bb == null || aa == null ? null : Math.max(bb, aa);
    }

    private static Double sum(String prefix, String field) {
        Double x = v.get(prefix + "1_" + field), y = v.get(prefix + "2_" + field);
        return x == null || y == null ? null : x + y;
    }

    private static Double jitPct(String prefix) {
        Double t = sum(prefix, "ticks"), j = sum(prefix, "jit_ticks");
        return t == null || j == null || t == 0 ? null : j * 100 / t;
    }

    /** Other processes' CPU, in CPUs busy on average, over the seq phase ("seq_") or all slices of a phase. */
    private static Double otherCores(String prefix) { return otherCores(prefix, "other_ticks"); }

    /** CPUs busy on average, from the ticks field, over the seq phase ("seq_") or all slices of a phase. */
    private static Double otherCores(String prefix, String field) {
        double ticks = 0, secs = 0;
        for (String k : prefix.equals("seq_") ? new String[] {""} : new String[] {"a1_", "b1_", "b2_", "a2_"}) {
            Double t = v.get(prefix + k + field), s = v.get(prefix + k + "seconds");
            if (t == null || s == null) return null;
            ticks += t;
            secs += s;
        }
        return secs == 0 ? null : ticks / Load.hz() / secs;
    }

    private static Double ratio(Double x, Double y) { return x == null || y == null || y == 0 ? null : x / y; }

    private static String list(List<Double> xs) {
        StringBuilder sb = new StringBuilder();
        for (Double x : xs) sb.append(sb.isEmpty() ? "" : " ").append(x == null ? "?" : fmt(x));
        return sb.toString();
    }

    private static String fmt(Double x) {
        if (x == null || x.isNaN()) return "";
        double m = Math.abs(x);
        return String.format(Locale.ROOT, m >= 1000 || x == Math.rint(x) && m >= 1 ? "%.0f" : m >= 10 ? "%.1f" : "%.3f", x);
    }

    private static void put(String key, double value) {
        RAW.add(key + "=" + value);
        System.err.printf(Locale.ROOT, "  %s = %s%n", key, value);
    }
}
