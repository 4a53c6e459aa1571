package io.canaryllm;

import io.canaryllm.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x instance platform-http runs on. Every call runs on a Vert.x worker, and a relayed stream holds its
 * worker until the stream ends. With {@code CANARYLLM_VIRTUAL_WORKERS=true} (the default) the workers are virtual
 * threads: measured in CONCURRENCY-NOTES.md at 1,000 streams with 118 OS threads instead of 1,300 and half the
 * CPU. It uses Vert.x 4's {@code VertxBuilder} SPI; set it to false for a fixed pool of platform threads
 * ({@code CANARYLLM_WORKER_THREADS}, default 1200), the configuration the notes measured first.
 */
final class Workers {
    private Workers() {}

    static Vertx vertx() {
        VertxOptions options = new VertxOptions()
                // streams outlive Vert.x's 60 s "blocked worker" warning by design
                .setMaxWorkerExecuteTime(6)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS);
        if (Boolean.parseBoolean(Settings.get("CANARYLLM_VIRTUAL_WORKERS", "true"))) {
            return new VertxBuilder(options)
                    .executorServiceFactory((threadFactory, core, max) ->
                            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("canary-worker-", 0).factory()))
                    .init()
                    .vertx();
        }
        options.setWorkerPoolSize((int) Settings.getLong("CANARYLLM_WORKER_THREADS", 1200));
        return Vertx.vertx(options);
    }
}
