package io.canaryllm.upstream;

import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.io.IOException;
import java.util.Map;

/**
 * The transport of a provider with {@code http2}: HTTP/2 first, HTTP/1.1 second. On https both are offered by ALPN and
 * the provider picks; on http there is nothing to negotiate with, so the first (h2c, prior knowledge) is spoken.
 * Jetty's HTTP/2 client sends no hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, Upgrade), which
 * HTTP/2 forbids.
 */
final class Http2Transport extends HttpClientTransportDynamic {
    private static final String HTTP11 = "http/1.1";

    Http2Transport(ClientConnector connector) {
        super(connector, new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)), HttpClientConnectionFactory.HTTP11);
        setConnectionPoolFactory(d -> new Http2ConnectionPool(d, d.getHttpClient().getMaxConnectionsPerDestination()));
    }

    /**
     * A TLS server that answers no ALPN protocol speaks HTTP/1.1: HTTP/2 over TLS is only ever chosen by ALPN
     * (RFC 9113, 3.2). Jetty would take the first protocol offered, h2, and the server's first bytes would read as a
     * broken frame.
     */
    @Override
    public Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
        if (context.get(ClientConnector.APPLICATION_PROTOCOL_CONTEXT_KEY) == null
                && context.get(Destination.CONTEXT_KEY) instanceof Destination d && d.getOrigin().isSecure()) {
            context.put(ClientConnector.APPLICATION_PROTOCOL_CONTEXT_KEY, HTTP11);
        }
        return super.newConnection(endPoint, context);
    }
}
