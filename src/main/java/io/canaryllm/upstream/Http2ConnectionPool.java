package io.canaryllm.upstream;

import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.MultiplexConnectionPool;
import org.eclipse.jetty.util.ConcurrentPool;

/**
 * The connections to a provider with {@code http2}. Jetty opens connections for a burst of queued calls by its guess of
 * how many streams a connection will carry; its guess is 1, so 200 calls arriving at once to a fresh provider open 200
 * sockets before the first SETTINGS frame says a connection takes ~100. This pool guesses {@link #FIRST_GUESS} until
 * the first connection is up, then takes what that connection really carries (its server's limit of concurrent
 * streams, or 1 for a server that answered ALPN with HTTP/1.1). Each connection still carries only what its own server
 * allows.
 */
final class Http2ConnectionPool extends MultiplexConnectionPool {
    /** Below what HTTP/2 servers usually allow (100 is the common limit, Jetty's is 128). */
    static final int FIRST_GUESS = 100;

    Http2ConnectionPool(Destination destination, int maxConnections) {
        // per connection: an HTTP/2 connection's own limit, 1 for an HTTP/1.1 one
        super(destination, () -> new ConcurrentPool<>(ConcurrentPool.StrategyType.FIRST, maxConnections, newMaxMultiplexer(1)),
                FIRST_GUESS);
    }

    @Override
    protected void onCreated(Connection connection) {
        super.onCreated(connection);
        int streams = connection instanceof MaxMultiplexable m ? m.getMaxMultiplex() : 1;
        setInitialMaxMultiplex(Math.clamp(streams, 1, FIRST_GUESS * 10));
    }
}
