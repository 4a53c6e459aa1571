package io.canaryllm.upstream;

import io.canaryllm.catalogue.ProviderSpec;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One Jetty {@link HttpClient} per provider (its own connection pool), sharing one thread pool and one timer.
 * Settings follow CONCURRENCY-NOTES.md: connections per destination above the peak number of streams (Jetty's
 * default of 64 queued stream 65 and opened the breaker), no cookies, no redirects, no transparent gzip (we relay
 * the upstream bytes as they are). A provider with {@code http2} gets a client that speaks HTTP/2 when the provider
 * does, so its streams share a few connections (one socket and one TLS handshake per ~100 streams, not per stream).
 */
public final class UpstreamClients implements AutoCloseable {
    private final int maxConnectionsPerDestination;
    private final int maxQueuedPerDestination;
    private final QueuedThreadPool executor;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<String, HttpClient> clients = new ConcurrentHashMap<>();
    /** Providers' clients that speak HTTP/2: a deployment may switch http2 on or off for its provider. */
    private final ConcurrentHashMap<String, HttpClient> http2Clients = new ConcurrentHashMap<>();

    /**
     * @param maxQueuedPerDestination calls waiting for a connection beyond that; more are refused at once
     *                                ({@link UpstreamFailure.Saturated}, Jetty's default is 1,024)
     */
    public UpstreamClients(int maxConnectionsPerDestination, int maxQueuedPerDestination) {
        this(maxConnectionsPerDestination, maxQueuedPerDestination, configure(new QueuedThreadPool(256, 4)));
    }

    /** With the clients' thread pool given, {@link #configure configured} or not (a test counts what it runs). */
    UpstreamClients(int maxConnectionsPerDestination, int maxQueuedPerDestination, QueuedThreadPool executor) {
        this.maxConnectionsPerDestination = maxConnectionsPerDestination;
        this.maxQueuedPerDestination = maxQueuedPerDestination;
        this.executor = executor;
        this.scheduler = new ScheduledExecutorScheduler("upstream-timer", true);
        try {
            executor.start();
            scheduler.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the upstream thread pool", e);
        }
    }

    /**
     * The upstream pool's settings. No reserved threads: with them, Jetty's selector hands the reading of an HTTP/2
     * connection to a reserved thread each time the connection has data (its read task may block or not), a wake-up
     * per relayed event; without, the selector reads the frames itself and {@link ResponsePieces} queues each piece
     * where it was read, as over HTTP/1.1. With 10,000 h2 streams (bench/run.sh, phase open10k) that is 113-122 µs
     * of gateway CPU per relayed event instead of 123-131, and 41 threads instead of 45-47 (UpstreamHandOffTest).
     */
    static <P extends QueuedThreadPool> P configure(P pool) {
        pool.setName("upstream");
        pool.setReservedThreads(0);
        pool.setDaemon(true);
        return pool;
    }

    public Scheduler scheduler() { return scheduler; }

    public HttpClient forProvider(ProviderSpec provider) {
        return (provider.http2() ? http2Clients : clients).computeIfAbsent(provider.name(), n -> start(provider));
    }

    private HttpClient start(ProviderSpec provider) {
        HttpClient client = provider.http2() ? new HttpClient(new Http2Transport(new ClientConnector())) : new HttpClient();
        client.setExecutor(executor);
        client.setScheduler(scheduler);
        client.setName("upstream-" + provider.name());
        client.setMaxConnectionsPerDestination(maxConnectionsPerDestination);
        client.setMaxRequestsQueuedPerDestination(maxQueuedPerDestination);
        client.setConnectTimeout(provider.timeouts().connectMs());
        client.setIdleTimeout(30_000);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        // our one listener (ResponsePieces) only queues what arrives, so Jetty may call it on the selector thread:
        // BLOCKING (the default) hands every upstream read to a pool thread first, a wake-up per relayed event
        client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for " + provider.name(), e);
        }
        client.getContentDecoderFactories().clear();
        return client;
    }

    @Override
    public void close() {
        java.util.stream.Stream.concat(clients.values().stream(), http2Clients.values().stream()).forEach(c -> {
            try { c.stop(); } catch (Exception ignored) { }
        });
        try { scheduler.stop(); executor.stop(); } catch (Exception ignored) { }
    }
}
