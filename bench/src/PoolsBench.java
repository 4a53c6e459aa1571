import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.CatalogueLoader;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.catalogue.ModelSpec;
import io.canaryllm.pool.DeploymentState;
import io.canaryllm.pool.Pools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * What pool selection adds to each call (bench/pools.sh): the work the gateway does per call because a model has
 * deployments, measured in-process with the gateway's own classes, as CPU time of the calling threads per call.
 * One "call" here is what the model-call route does for the pool: {@link Pools#choose}, a lease on the chosen
 * deployment (in-flight count), its first-byte sample (EWMA) and the lease's release. The HTTP call, translation and
 * routes are not in it: bench/run.sh measures those (before/after: the per-request CPU of the whole gateway).
 *
 *   java -cp target/classes:target/lib/*:CLASSES PoolsBench [seconds per case, default 3] [threads, default 2]
 */
public final class PoolsBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path file = Files.createTempFile("pools-bench", ".yaml");
        Files.writeString(file, """
                providers:
                  openai: {wire: openai-chat, baseUrl: "http://127.0.0.1:9/v1"}
                models:
                  - {id: openai/single}
                  - id: openai/weighted
                    deployments:
                      - {name: w-a, provider: openai, baseUrl: "http://127.0.0.1:9/a", weight: 5}
                      - {name: w-b, provider: openai, baseUrl: "http://127.0.0.1:9/b", weight: 3}
                      - {name: w-c, provider: openai, baseUrl: "http://127.0.0.1:9/c", weight: 2}
                  - id: openai/least
                    strategy: least-in-flight
                    deployments:
                      - {name: l-a, provider: openai, baseUrl: "http://127.0.0.1:9/a"}
                      - {name: l-b, provider: openai, baseUrl: "http://127.0.0.1:9/b"}
                      - {name: l-c, provider: openai, baseUrl: "http://127.0.0.1:9/c"}
                  - id: openai/latency
                    strategy: lowest-latency
                    deployments:
                      - {name: t-a, provider: openai, baseUrl: "http://127.0.0.1:9/a"}
                      - {name: t-b, provider: openai, baseUrl: "http://127.0.0.1:9/b"}
                      - {name: t-c, provider: openai, baseUrl: "http://127.0.0.1:9/c"}
                """);
        Catalogue catalogue = CatalogueLoader.load(file);
        Files.delete(file);
        Pools pools = new Pools(catalogue, new SimpleMeterRegistry());
        List<String> models = List.of("openai/single", "openai/weighted", "openai/least", "openai/latency");
        for (String m : models) run(pools, catalogue.resolve(m).model(), 1, seconds / 2, false); // JIT warm-up
        System.out.printf(Locale.ROOT, "%-18s %8s %14s %14s %12s%n", "model", "threads", "CPU ns/call", "wall ns/call", "calls");
        for (int t : new int[] {1, threads}) {
            for (String m : models) run(pools, catalogue.resolve(m).model(), t, seconds, true);
        }
    }

    /** {@code threads} threads making calls of {@code model} for {@code seconds}; prints CPU and wall time per call. */
    private static void run(Pools pools, ModelSpec model, int threads, double seconds, boolean print) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long[] cpu = new long[threads], calls = new long[threads];
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> all = new ArrayList<>();
        long wallStart = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int me = i;
            all.add(Thread.ofPlatform().start(() -> {
                long c0 = CPU.getCurrentThreadCpuTime(), n = 0, sink = 0;
                while ((n & 1023) != 0 || System.nanoTime() < deadline) {
                    Deployment d = pools.choose(model, Set.of(), true);
                    DeploymentState s = pools.state(d);
                    try (var lease = s.begin()) {
                        s.firstByte(1_000_000L + (n & 0xffff)); // a first byte after about a millisecond
                        sink += lease.hashCode();
                    }
                    n++;
                }
                cpu[me] = CPU.getCurrentThreadCpuTime() - c0;
                calls[me] = n + (sink == 42 ? 1 : 0);
                done.countDown();
            }));
        }
        done.await();
        long wall = System.nanoTime() - wallStart;
        long totalCpu = 0, totalCalls = 0;
        for (int i = 0; i < threads; i++) {
            totalCpu += cpu[i];
            totalCalls += calls[i];
        }
        if (print) {
            System.out.printf(Locale.ROOT, "%-18s %8d %14.1f %14.1f %12d%n", model.id(), threads,
                    (double) totalCpu / totalCalls, (double) wall * threads / totalCalls, totalCalls);
        }
    }
}
