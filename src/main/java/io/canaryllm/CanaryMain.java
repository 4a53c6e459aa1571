package io.canaryllm;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/canaryllm.jar}, started from the directory that holds {@code config/} and {@code routes/}.
 */
public final class CanaryMain {
    private CanaryMain() {}

    public static void main(String[] args) {
        // Camel's SIGTERM hook waits only until the CamelContext has stopped; the JVM halts as soon as every hook has
        // returned. The gateway's afterStop (the ledger's last rows, closing the store, which puts H2's committed
        // pages on disk, the last spans) runs after that, on this thread: without this hook the halt raced it, and a
        // SIGTERM could lose the ledger rows H2 had not yet written (UsageLedgerShutdownTest, ShutdownOrderTest).
        Main main = create();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(stopped, stopBound(main)), "canaryllm-stop-wait"));
        int code;
        try {
            code = main.run(args);
        } catch (Throwable e) {
            System.err.println("CanaryLLM failed to start: " + describe(e));
            code = 1;
        } finally {
            stopped.countDown();
        }
        // after a SIGTERM the JVM is already shutting down (System.exit would wait forever): just return
        if (code != 0) System.exit(code);
    }

    /**
     * Seconds to wait: Camel's drain (its shutdown strategy's timeout, camel.main.shutdown-timeout), then the
     * ledger's last write (30 s at most) and the span export (10 s at most), with room to spare.
     */
    private static long stopBound(Main main) {
        CamelContext context = main.getCamelContext();
        long drain = context == null ? 0 : context.getShutdownStrategy().getTimeUnit().toSeconds(context.getShutdownStrategy().getTimeout());
        return drain + 60;
    }

    private static void awaitQuietly(CountDownLatch stopped, long seconds) {
        try {
            if (!stopped.await(seconds, TimeUnit.SECONDS)) {
                System.err.println("CanaryLLM did not finish stopping within " + seconds + " s; exiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A Camel Main that reads {@code config/application.properties} and {@code routes/} from the working directory. */
    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:config/application.properties");
        main.addMainListener(new Gateway());
        return main;
    }

    /**
     * Runs {@code main} on a daemon thread of its own (named {@code thread}) until its HTTP server listens; its port.
     * For an in-process gateway: the tests' and the AOT training's ({@link AotTraining}).
     */
    public static int runInBackground(Main main, String thread, Duration timeout) throws InterruptedException {
        Throwable[] failed = new Throwable[1];
        Thread runner = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, thread);
        runner.setDaemon(true);
        runner.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (failed[0] != null) throw new IllegalStateException("the gateway did not start", failed[0]);
            CamelContext context = main.getCamelContext();
            if (context != null && context.isStarted()) {
                VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
                if (server != null && server.getPort() > 0) return server.getPort();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the gateway did not start within " + timeout.toSeconds() + " s");
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) sb.append("\n  caused by: ");
            sb.append(t.getMessage() == null ? t.getClass().getName() : t.getMessage());
        }
        return sb.toString();
    }
}
