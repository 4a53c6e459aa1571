import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What do per-key limit checks cost per request (bench/limits-ab.sh)? Two gateways from one snapshot of the jar:
 * M counts the limits in memory, R in Redis (CANARYLLM_REDIS_URL). Each has two API keys: one without limits (no
 * check at all) and one with limits that never refuse (models ["*"], huge rpm and tpm, a huge daily budget), so every
 * request runs the whole check (budget GET, tokens GET, requests INCR) and the counting after the call. The four
 * (gateway x key) combinations are measured interleaved: request by request for latency, in slices for CPU.
 *
 *   java -cp classes LimitsAB <phase> m=PORT pidm=PID mnone=KEY mlim=KEY [r=PORT pidr=PID rnone=KEY rlim=KEY]
 *                                     fake=PORT pidf=PID [pidredis=PID] hz=CLK_TCK raw=FILE
 *
 * Without r= (Redis not reachable) only M is measured. Phases: warm, seq, rps (each appends key=value lines to the
 * raw file), report (prints the table from the raw file and writes it to table=FILE). The requests, connections and
 * CPU readings are Load's; the runner here is Load.run's loop, except that it keeps every non-200 status by code.
 */
public final class LimitsAB {
    private static final List<String> RAW = new ArrayList<>();

    /** A gateway x key combination: its name in the raw file (mn, ml, rn, rl), its requests, its gateway process. */
    record Combo(String name, Load.Target target, String pid) {}

    /** The combinations in table order; the no-limits ones are at even indexes, each followed by its limited one. */
    private static final List<Combo> COMBOS = new ArrayList<>();
    private static Load.Target direct;

    private static final String[] NAMES = {"mn", "ml", "rn", "rl"};
    private static final String[] LABELS = {"memory/no-limits", "memory/limited", "redis/no-limits", "redis/limited"};

    public static void main(String[] args) throws Exception {
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = arg.indexOf('=');
            Load.ARGS.put(arg.substring(0, eq), arg.substring(eq + 1));   // Load's helpers read fake=, hz=
        }
        if (!args[0].equals("report")) {
            COMBOS.add(combo("mn", "m", "mnone"));
            COMBOS.add(combo("ml", "m", "mlim"));
            if (Load.ARGS.containsKey("r")) {
                COMBOS.add(combo("rn", "r", "rnone"));
                COMBOS.add(combo("rl", "r", "rlim"));
            }
            direct = Load.target(Load.num("fake", 0), Load.arg("mnone"));
        }
        switch (args[0]) {
            case "warm" -> warm();
            case "seq" -> sequential();
            case "rps" -> throughput();
            case "report" -> { report(); return; }
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        STATUS.forEach((k, n) -> RAW.add(k + "=" + n.get()));
        Files.write(Path.of(Load.arg("raw")), RAW, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Combo combo(String name, String gw, String keyArg) {
        return new Combo(name, Load.target(Load.num(gw, 0), Load.arg(keyArg)), Load.arg("pid" + gw));
    }


    // ---------------------------------------------------------------- answers

    /**
     * Every answer of this phase by combination: "n_PHASE_COMBO" all requests sent, "st_PHASE_COMBO_CODE" the non-200
     * ones by status ("io" for a socket error). The report sums them over the phases.
     */
    private static final Map<String, AtomicLong> STATUS = new ConcurrentHashMap<>();
    private static String phase = "";

    private static void count(String combo, int status) {
        STATUS.computeIfAbsent("n_" + phase + "_" + combo, k -> new AtomicLong()).incrementAndGet();
        if (status != 200) {
            STATUS.computeIfAbsent("st_" + phase + "_" + combo + "_" + (status < 0 ? "io" : Integer.toString(status)),
                    k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** One request on c, its status counted; the time from sending to the end of the answer, -1 on a socket error. */
    private static long call(Load.Conn c, String combo, byte[] request) {
        try {
            Load.Reply r = c.call(request);
            count(combo, r.status());
            return r.total();
        } catch (IOException e) {
            count(combo, -1);
            c.drop();
            return -1;
        }
    }

    /** Load.run's loop (conc connections, requests back to back for the given seconds), counting every status. */
    private static long run(Combo x, int conc, double seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (Load.Conn c = new Load.Conn(x.target().port())) {
                    while (System.nanoTime() < end) {
                        try {
                            int status = c.call(x.target().plain()).status();
                            count(x.name(), status);
                            if (status == 200) ok.incrementAndGet();
                        } catch (IOException e) {
                            count(x.name(), -1);
                            c.drop();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        return ok.get();
    }

    // ---------------------------------------------------------------- phases

    /**
     * JIT warm-up on the measured path only (non-streamed requests at conc= connections): rounds of slice= seconds on
     * each combination in turn (the order reversed every other round), until the JIT compiler threads use under 5%
     * of each gateway's CPU in the last round, or another round would not fit in max= seconds.
     */
    static void warm() throws Exception {
        phase = "warm";
        int conc = Load.num("conc", 16);
        double slice = Load.num("slice_ms", 2500) / 1000.0, limit = Load.num("max", 60), round;
        List<String> pids = COMBOS.stream().map(Combo::pid).distinct().toList();
        long start = System.nanoTime();
        int rounds = 0;
        double[] share = new double[pids.size()];
        do {
            long t0 = System.nanoTime();
            long[] cpu0 = new long[pids.size()], jit0 = new long[pids.size()];
            for (int g = 0; g < pids.size(); g++) { cpu0[g] = Load.cpuTicks(pids.get(g)); jit0[g] = Load.jitTicks(pids.get(g)); }
            List<Combo> order = new ArrayList<>(COMBOS);
            if (rounds % 2 == 1) order = order.reversed();
            for (Combo x : order) run(x, conc, slice);
            for (int g = 0; g < pids.size(); g++) {
                share[g] = (Load.jitTicks(pids.get(g)) - jit0[g]) * 100.0 / Math.max(1, Load.cpuTicks(pids.get(g)) - cpu0[g]);
            }
            rounds++;
            round = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "  warm-up round %d: JIT compiler threads at %s of the gateway's CPU%n", rounds,
                    Arrays.toString(Arrays.stream(share).mapToObj(s -> String.format(Locale.ROOT, "%.0f%%", s)).toArray()));
        } while (Arrays.stream(share).anyMatch(s -> s >= 5) && (System.nanoTime() - start) / 1e9 + round <= limit);
        // a few hundred sequential requests too (one connection each), the shape the latency phase sends
        try (Load.Conn c = new Load.Conn(direct.port())) { for (int i = 0; i < 200; i++) call(c, "d", direct.plain()); }
        for (Combo x : COMBOS) {
            try (Load.Conn c = new Load.Conn(x.target().port())) { for (int i = 0; i < 300; i++) call(c, x.name(), x.target().plain()); }
        }
        put("warm_s", (System.nanoTime() - start) / 1e9);
        put("warm_rounds", rounds);
        for (int g = 0; g < pids.size(); g++) put("warm_jit_pct_" + (g == 0 ? "m" : "r"), share[g]);
    }

    /**
     * Sequential non-streamed requests, one keep-alive connection per target, interleaved request by request: in each
     * step every combination once, the no-limits key of each gateway a second time (mn2, rn2: the very same requests
     * again, an A-vs-A control) and the fake directly, in a new random order every step (seeded: the same orders every
     * run). A fixed or rotated order would not do: a request that follows one to another process (the other gateway,
     * the fake) is slower than one that follows a request to the same gateway, so a fixed predecessor biases a target.
     * warm= steps, then rounds= rounds of n= steps; percentiles per round and over all rounds.
     */
    static void sequential() throws IOException {
        phase = "seq";
        int warm = Load.num("warm", 300), n = Load.num("n", 2000), rounds = Load.num("rounds", 3);
        List<String> names = new ArrayList<>();
        List<Load.Target> targets = new ArrayList<>();
        for (Combo x : COMBOS) {
            names.add(x.name());
            targets.add(x.target());
            if (x.name().endsWith("n")) { names.add(x.name() + "2"); targets.add(x.target()); }
        }
        names.add("d");
        targets.add(direct);
        int k = names.size();
        Load.Conn[] conns = new Load.Conn[k];
        for (int j = 0; j < k; j++) conns[j] = new Load.Conn(targets.get(j).port());
        long[][] all = new long[k][n * rounds];
        Random random = new Random(42);
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < k; j++) order.add(j);
        int[] filled = new int[k];
        try {
            for (int i = 0; i < warm; i++) for (int j = 0; j < k; j++) call(conns[j], base(names.get(j)), targets.get(j).plain());
            long t0 = System.nanoTime();
            Map<String, Long> cpu0 = cpu();
            for (int r = 1; r <= rounds; r++) {
                long[][] t = new long[k][n];
                int[] m = new int[k];
                for (int i = 0; i < n; i++) {
                    Collections.shuffle(order, random);
                    for (int j : order) {
                        long ns = call(conns[j], base(names.get(j)), targets.get(j).plain());
                        if (ns >= 0) t[j][m[j]++] = ns;
                    }
                }
                for (int j = 0; j < k; j++) {
                    System.arraycopy(t[j], 0, all[j], filled[j], m[j]);
                    filled[j] += m[j];
                    percentiles(Arrays.copyOf(t[j], m[j]), "seq_r" + r + "_" + names.get(j));
                }
            }
            cpuSince(cpu0, t0, "seq_");
        } finally {
            for (Load.Conn c : conns) c.close();
        }
        put("seq_n", n);
        put("seq_warm", warm);
        put("seq_rounds", rounds);
        for (int j = 0; j < k; j++) percentiles(Arrays.copyOf(all[j], filled[j]), "seq_" + names.get(j));
    }

    /** The combination a target's answers count under: mn2 and rn2 are mn and rn again. */
    private static String base(String name) { return name.endsWith("2") ? name.substring(0, name.length() - 1) : name; }

    private static void percentiles(long[] times, String prefix) {
        if (times.length == 0) return;
        long[] s = times.clone();
        Arrays.sort(s);
        put(prefix + "_p50_ms", Load.ms(Load.pct(s, 0.50)));
        put(prefix + "_p90_ms", Load.ms(Load.pct(s, 0.90)));
        put(prefix + "_p99_ms", Load.ms(Load.pct(s, 0.99)));
    }

    /**
     * CPU per request and requests/s at conc= connections: slice= seconds a slice on one combination, the gateway's
     * utime+stime during its slice ÷ 200s served. The order is a palindrome (mn ml rn rl rl rn ml mn), so a steady
     * drift weighs on every combination alike, and each combination's two slices show how far apart the same
     * measurement lands (A vs A).
     */
    static void throughput() throws Exception {
        phase = "rps";
        int conc = Load.num("conc", 16), slice = Load.num("slice", 4);
        for (Combo x : COMBOS) run(x, conc, 1);
        List<Combo> order = new ArrayList<>(COMBOS);
        order.addAll(COMBOS.reversed());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Combo x : order) {
            String p = "rps_" + x.name() + seen.merge(x.name(), 1, Integer::sum) + "_";
            Thread.sleep(Load.num("settle", 500));   // what the last slice left (closing connections, a GC) stays out
            long t0 = System.nanoTime();
            Map<String, Long> c0 = cpu();
            long gw0 = Load.cpuTicks(x.pid()), jit0 = Load.jitTicks(x.pid());
            long ok = run(x, conc, slice);
            put(p + "ticks", Load.cpuTicks(x.pid()) - gw0);
            put(p + "jit_ticks", Load.jitTicks(x.pid()) - jit0);
            put(p + "ok", ok);
            cpuSince(c0, t0, p);
        }
        put("rps_conc", conc);
        put("rps_slice_s", slice);
    }

    /** CPU ticks now: the machine busy (/proc/stat), the processes of this benchmark, redis-server (pidredis=). */
    private static Map<String, Long> cpu() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("busy", Load.machineBusy());
        long ours = Load.cpuTicks(Long.toString(ProcessHandle.current().pid())) + Load.cpuTicks(Load.arg("pidf"));
        for (String pid : COMBOS.stream().map(Combo::pid).distinct().toList()) ours += Load.cpuTicks(pid);
        m.put("ours", ours);
        m.put("redis", redisTicks());
        return m;
    }

    /** Puts what redis-server and the other processes of the machine used since c0, and the seconds elapsed. */
    private static void cpuSince(Map<String, Long> c0, long t0, String p) throws IOException {
        Map<String, Long> c1 = cpu();
        long redis = c1.get("redis") - c0.get("redis");
        if (Load.ARGS.containsKey("pidredis")) put(p + "redis_ticks", redis);
        put(p + "other_ticks", Math.max(0, (c1.get("busy") - c0.get("busy")) - (c1.get("ours") - c0.get("ours")) - redis));
        put(p + "seconds", (System.nanoTime() - t0) / 1e9);
    }

    private static long redisTicks() {
        String pid = Load.ARGS.get("pidredis");
        if (pid == null) return 0;
        try { return Load.cpuTicks(pid); } catch (IOException gone) { return 0; }
    }

    // ---------------------------------------------------------------- report

    private static Map<String, Double> v;
    private static StringBuilder out;

    static void report() throws IOException {
        v = new LinkedHashMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(Load.arg("raw")))) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq);
            double x = Double.parseDouble(line.substring(eq + 1));
            if (key.startsWith("n_") || key.startsWith("st_")) {   // summed over the phases
                String[] f = key.split("_");
                String total = f[0] + "_" + String.join("_", Arrays.copyOfRange(f, 2, f.length));
                sums.merge(total, x, Double::sum);
            } else {
                v.put(key, x);
            }
        }
        double hz = Load.hz();
        boolean redis = v.containsKey("rps_rn1_ticks") || v.containsKey("seq_rn_p50_ms");
        out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "per-key limit checks: cost per request, %s, %d CPUs, jar of %s%n",
                java.time.LocalDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(),
                Load.ARGS.getOrDefault("jar", "?")));
        out.append("M: counters in memory; R: counters in Redis (" + Load.ARGS.getOrDefault("redis", "?") + "). no-limits: a key without"
                + " limits;\n   limited: rpm 1e9, tpm 1e12, daily budget $1,000,000, models [\"*\"] (never refuses, every check runs)\n");
        String h = "%-34s %8s %8s %8s | %9s %10s %10s%n";
        out.append(String.format(Locale.ROOT, h, "", "added", "added", "added", "req/s", "CPU/req", "CPU/req"));
        out.append(String.format(Locale.ROOT, h, "", "p50 ms", "p90 ms", "p99 ms", conns(), "ms", "no JIT ms"));
        for (int g = 0; g < 2; g++) {
            String gw = g == 0 ? "memory" : "redis";
            String none = NAMES[2 * g], lim = NAMES[2 * g + 1];
            if (g == 1 && !redis) {
                out.append(String.format(Locale.ROOT, "%-34s %s%n", LABELS[2], "not measured: " + Load.ARGS.getOrDefault("noredis", "Redis not reachable")));
                out.append(String.format(Locale.ROOT, "%-34s %s%n", LABELS[3], "not measured"));
                continue;
            }
            for (String c : new String[] {none, lim}) {
                out.append(String.format(Locale.ROOT, h, label(c), fmt(added(c, "p50")), fmt(added(c, "p90")), fmt(added(c, "p99")),
                        fmt(rps(c)), fmt(cpu(c, false)), fmt(cpu(c, true))));
            }
            out.append(String.format(Locale.ROOT, h, "  limited - no-limits, " + gw, fmt(diff(lim, none, "p50")), fmt(diff(lim, none, "p90")),
                    fmt(diff(lim, none, "p99")), fmt(minus(rps(lim), rps(none))), fmt(minus(cpu(lim, false), cpu(none, false))),
                    fmt(minus(cpu(lim, true), cpu(none, true)))));
            out.append(String.format(Locale.ROOT, h, "  noise (A vs A, see below)", fmt(latNoise(none, "p50")), fmt(latNoise(none, "p90")),
                    fmt(latNoise(none, "p99")), fmt(sliceNoise(none, lim, "rps")), fmt(sliceNoise(none, lim, "cpu")),
                    fmt(sliceNoise(none, lim, "nojit"))));
            Double redisCpu = redisCpu(lim);
            if (g == 1 && redisCpu != null) {
                out.append(String.format(Locale.ROOT, "  + redis-server CPU per request, limited: %s ms (no-limits: %s ms)%n",
                        fmt(redisCpu), fmt(redisCpu(none))));
            }
        }
        if (redis) {   // the same code path in two separately started and compiled JVMs: how far apart gateways measure
            out.append(String.format(Locale.ROOT, h, "no-limits: redis - memory (A vs A)", fmt(diff("rn", "mn", "p50")),
                    fmt(diff("rn", "mn", "p90")), fmt(diff("rn", "mn", "p99")), fmt(minus(rps("rn"), rps("mn"))),
                    fmt(minus(cpu("rn", false), cpu("mn", false))), fmt(minus(cpu("rn", true), cpu("mn", true)))));
        }
        out.append(String.format(Locale.ROOT, h, "fake called directly (absolute)", fmt(v.get("seq_d_p50_ms")), fmt(v.get("seq_d_p90_ms")),
                fmt(v.get("seq_d_p99_ms")), "", "", ""));

        out.append("\nlatency by round (added ms, p50/p90/p99); A vs A = the no-limits key measured twice in the same steps:\n");
        int rounds = (int) (double) v.getOrDefault("seq_rounds", 0.0);
        for (String c : NAMES) {
            if (!v.containsKey("seq_" + c + "_p50_ms")) continue;
            StringBuilder sb = new StringBuilder();
            for (int r = 1; r <= rounds; r++) sb.append(r > 1 ? " | " : "").append(triple("seq_r" + r + "_" + c, "seq_r" + r + "_d"));
            out.append(String.format(Locale.ROOT, "  %-18s %s%n", label(c), sb));
            if (c.endsWith("n")) {
                StringBuilder aa = new StringBuilder();
                for (int r = 1; r <= rounds; r++) aa.append(r > 1 ? " | " : "").append(triple("seq_r" + r + "_" + c + "2", "seq_r" + r + "_d"));
                out.append(String.format(Locale.ROOT, "  %-18s %s%n", "  same key again", aa));
            }
        }
        out.append("slices (" + conns() + ", " + fmt(v.get("rps_slice_s")) + " s each, order " + (redis ? "mn ml rn rl rl rn ml mn" : "mn ml ml mn")
                + "): first / second\n");
        for (String c : NAMES) {
            if (!v.containsKey("rps_" + c + "1_ok")) continue;
            out.append(String.format(Locale.ROOT, "  %-18s req/s %5s / %5s   CPU/req ms %s / %s   JIT share %4s%%   others busy %s / %s CPUs%n",
                    label(c), fmt(sliceRps(c, 1)), fmt(sliceRps(c, 2)), fmt(sliceCpu(c, 1, false)), fmt(sliceCpu(c, 2, false)),
                    pct(jitPct(c)), fmt(cores("rps_" + c + "1_", "other_ticks")), fmt(cores("rps_" + c + "2_", "other_ticks"))));
        }
        out.append(String.format(Locale.ROOT, "warm-up: %s rounds in %s s; JIT share of the gateway's CPU in its last round: M %s%%, R %s%%%n",
                fmt(v.get("warm_rounds")), fmt(v.get("warm_s")), pct(v.get("warm_jit_pct_m")), pct(v.get("warm_jit_pct_r"))));
        out.append(String.format(Locale.ROOT, "other processes on the machine (CPUs busy, redis-server excluded): %s during latency,"
                + " %s during the slices%n", fmt(cores("seq_", "other_ticks")), fmt(slicesCores("other_ticks"))));

        out.append("\nanswers (all phases):");
        long bad = 0;
        for (String c : new String[] {"mn", "ml", "rn", "rl", "d"}) {
            Double n = sums.get("n_" + c);
            if (n == null) continue;
            double non200 = 0;
            StringBuilder codes = new StringBuilder();
            for (Map.Entry<String, Double> e : sums.entrySet()) {
                if (e.getKey().startsWith("st_" + c + "_")) {
                    non200 += e.getValue();
                    codes.append(codes.isEmpty() ? " (" : ", ").append(e.getKey().substring(4 + c.length())).append(": ").append(String.format(Locale.ROOT, "%.0f", e.getValue()));
                }
            }
            if (!codes.isEmpty()) codes.append(")");
            bad += (long) non200;
            out.append(String.format(Locale.ROOT, " %s %.0f requests, %.0f non-200%s;", c.equals("d") ? "direct" : c, n, non200, codes));
        }
        out.append(bad == 0 ? " every answer was 200\n" : "\nNON-200 ANSWERS: " + bad + " (the figures above include them)\n");
        if (Load.ARGS.containsKey("checks")) {   // what the script checked on the gateways and in Redis after the run
            Path checks = Path.of(Load.arg("checks"));
            if (Files.exists(checks)) out.append(Files.readString(checks));
        }
        out.append("added = gateway percentile - direct percentile (the same steps); noise: latency, the larger of |no-limits key\n"
                + "- the same key again| and the spread of limited - no-limits across the rounds; req/s and CPU, the larger of the\n"
                + "two combinations' |first slice - second slice|. A difference within its noise is no measured difference.\n"
                + "no-limits: redis - memory runs the very same code (no check) in the other gateway: how far apart two\n"
                + "separately started and JIT-compiled gateways measure, a lower bound of the run-to-run noise.\n");
        System.out.print(out);
        if (Load.ARGS.containsKey("table")) Files.writeString(Path.of(Load.arg("table")), out);
    }

    private static String label(String c) { return LABELS[Arrays.asList(NAMES).indexOf(c)]; }

    private static String conns() { return fmt(v.get("rps_conc")) + " conns"; }

    private static Double added(String c, String q) { return minus(v.get("seq_" + c + "_" + q + "_ms"), v.get("seq_d_" + q + "_ms")); }

    private static Double diff(String a, String b, String q) { return minus(v.get("seq_" + a + "_" + q + "_ms"), v.get("seq_" + b + "_" + q + "_ms")); }

    private static String triple(String p, String d) {
        StringBuilder sb = new StringBuilder();
        for (String q : new String[] {"p50", "p90", "p99"}) {
            sb.append(sb.isEmpty() ? "" : "/").append(fmt(minus(v.get(p + "_" + q + "_ms"), v.get(d + "_" + q + "_ms"))));
        }
        return sb.toString();
    }

    /** Latency noise of limited - no-limits: max(|no-limits - same key again|, spread across rounds of limited - no-limits). */
    private static Double latNoise(String none, String q) {
        Double aa = abs(v.get("seq_" + none + "_" + q + "_ms"), v.get("seq_" + none + "2_" + q + "_ms"));
        String lim = none.charAt(0) + "l";
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        int rounds = (int) (double) v.getOrDefault("seq_rounds", 0.0);
        for (int r = 1; r <= rounds; r++) {
            Double d = minus(v.get("seq_r" + r + "_" + lim + "_" + q + "_ms"), v.get("seq_r" + r + "_" + none + "_" + q + "_ms"));
            if (d == null) return null;
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        if (aa == null || rounds == 0) return null;
        return Math.max(aa, hi - lo);
    }

    private static Double sliceRps(String c, int i) { return ratio(v.get("rps_" + c + i + "_ok"), v.get("rps_" + c + i + "_seconds")); }

    private static Double sliceCpu(String c, int i, boolean noJit) {
        Double t = v.get("rps_" + c + i + "_ticks"), j = v.get("rps_" + c + i + "_jit_ticks"), n = v.get("rps_" + c + i + "_ok");
        if (t == null || j == null || n == null || n == 0) return null;
        return (t - (noJit ? j : 0)) * 1000 / Load.hz() / n;
    }

    private static Double rps(String c) { return ratio(sum(c, "ok"), sum(c, "seconds")); }

    private static Double cpu(String c, boolean noJit) {
        Double t = sum(c, "ticks"), j = sum(c, "jit_ticks"), n = sum(c, "ok");
        if (t == null || j == null || n == null || n == 0) return null;
        return (t - (noJit ? j : 0)) * 1000 / Load.hz() / n;
    }

    private static Double redisCpu(String c) {
        Double t = sum(c, "redis_ticks"), n = sum(c, "ok");
        return t == null || n == null || n == 0 ? null : t * 1000 / Load.hz() / n;
    }

    /** The larger of the two combinations' |first slice - second slice|, for req/s ("rps"), CPU ("cpu", "nojit"). */
    private static Double sliceNoise(String none, String lim, String what) {
        double worst = 0;
        for (String c : new String[] {none, lim}) {
            Double d = switch (what) {
                case "rps" -> abs(sliceRps(c, 1), sliceRps(c, 2));
                case "cpu" -> abs(sliceCpu(c, 1, false), sliceCpu(c, 2, false));
                default -> abs(sliceCpu(c, 1, true), sliceCpu(c, 2, true));
            };
            if (d == null) return null;
            worst = Math.max(worst, d);
        }
        return worst;
    }

    private static Double jitPct(String c) {
        Double t = sum(c, "ticks"), j = sum(c, "jit_ticks");
        return t == null || j == null || t == 0 ? null : j * 100 / t;
    }

    private static Double sum(String c, String field) {
        Double x = v.get("rps_" + c + "1_" + field), y = v.get("rps_" + c + "2_" + field);
        return x == null || y == null ? null : x + y;
    }

    private static Double cores(String p, String field) {
        Double t = v.get(p + field), s = v.get(p + "seconds");
        return t == null || s == null || s == 0 ? null : t / Load.hz() / s;
    }

    private static Double slicesCores(String field) {
        double t = 0, s = 0;
        for (String c : NAMES) {
            for (int i = 1; i <= 2; i++) {
                Double x = v.get("rps_" + c + i + "_" + field), y = v.get("rps_" + c + i + "_seconds");
                if (x != null && y != null) { t += x; s += y; }
            }
        }
        return s == 0 ? null : t / Load.hz() / s;
    }

    private static Double minus(Double x, Double y) { return x == null || y == null ? null : x - y; }

    private static Double abs(Double x, Double y) { return x == null || y == null ? null : Math.abs(x - y); }

    private static Double ratio(Double x, Double y) { return x == null || y == null || y == 0 ? null : x / y; }

    private static String fmt(Double x) {
        if (x == null || x.isNaN()) return "-";
        if (Math.abs(x) < 0.0005) x = 0.0;   // no "-0.000"
        double m = Math.abs(x);
        return String.format(Locale.ROOT, m >= 1000 || x == Math.rint(x) && m >= 1 ? "%.0f" : m >= 10 ? "%.1f" : "%.3f", x);
    }

    private static String pct(Double x) { return x == null ? "-" : String.format(Locale.ROOT, "%.1f", x); }

    private static void put(String key, double value) {
        RAW.add(key + "=" + value);
        System.err.printf(Locale.ROOT, "  %s = %s%n", key, value);
    }
}
