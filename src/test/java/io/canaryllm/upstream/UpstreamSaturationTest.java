package io.canaryllm.upstream;

import io.canaryllm.catalogue.ProviderSpec;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst beyond the connections and queue the gateway keeps per provider is refused at once as
 * {@link UpstreamFailure.Kind#SATURATED}: retried like a transport error and answered 503 with a retry-after (before,
 * it read as the provider being unreachable, 502).
 */
class UpstreamSaturationTest {

    @Test
    void aCallBeyondConnectionsAndQueueIsSaturatedNotAProviderFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1), entered = new CountDownLatch(1);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) throws Exception {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS); // holds the connection, like a long stream
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        try (UpstreamClients clients = new UpstreamClients(1, 1)) {
            HttpClient client = clients.forProvider(provider());
            String url = "http://127.0.0.1:" + connector.getLocalPort() + "/v1/chat/completions";
            ResponsePieces first = new ResponsePieces(), queued = new ResponsePieces(), third = new ResponsePieces();
            client.newRequest(url).send(first);     // takes the one connection
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the first call reached the server");
            client.newRequest(url).send(queued);    // waits in the queue of one
            Request refused = client.newRequest(url);
            refused.send(third);
            ExecutionException e = assertThrows(ExecutionException.class, () -> third.awaitHead(5_000));
            UpstreamFailure failure = UpstreamCall.classify("openai", e);
            assertEquals(UpstreamFailure.Kind.SATURATED, failure.kind());
            assertEquals("1", failure.retryAfter());
            assertTrue(RetryPolicy.retryable(failure), "a moment later a connection may be free");

            release.countDown();
            assertEquals(200, first.awaitHead(5_000).getStatus());
            assertEquals(200, queued.awaitHead(5_000).getStatus(), "the queued call was served once the connection was free");
        } finally {
            server.stop();
        }
        // a transport error of the provider stays a provider failure
        assertEquals(UpstreamFailure.Kind.UNREACHABLE,
                UpstreamCall.classify("openai", new java.net.ConnectException("Connection refused")).kind());
    }

    private static ProviderSpec provider() {
        return io.canaryllm.catalogue.CatalogueLoader.load(Path.of("config/catalogue.yaml")).provider("openai").orElseThrow();
    }
}
