package io.canaryllm.relay;

import io.canaryllm.call.StreamSource;
import io.canaryllm.call.CallContext;
import io.canaryllm.call.ErrorBodies;
import io.canaryllm.core.GatewayError;
import io.canaryllm.metering.Metering;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The three route steps around the splitter that relays a stream: open the caller's SSE response, write each
 * piece as it comes (flushed, never batched), and finish: an error frame if the stream broke, the end of the
 * response, the upstream released. Client disconnects abort the upstream at once through the close handler.
 */
public final class StreamRelay {
    private static final String SINK = "canaryClientStream";
    private static final String SOURCE = "canaryStreamSource";
    private final Metering metering;

    public StreamRelay(Metering metering) { this.metering = metering; }

    public Processor start() {
        return exchange -> {
            StreamSource source = exchange.getMessage().getMandatoryBody(StreamSource.class);
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            ClientStream sink = new ClientStream(call.response);
            exchange.setProperty(SINK, sink);
            exchange.setProperty(SOURCE, source);
            metering.metrics().streamOpened();
            sink.start(source::abort, call.modelId(), call.answerHeaders, () -> {
                call.firstTokenNanos = System.nanoTime();
                metering.metrics().timeToFirstToken(call);
                metering.spans().firstToken(call);
            });
        };
    }

    public Processor write() {
        return exchange -> {
            byte[] piece = exchange.getMessage().getBody(byte[].class);
            if (piece == null || piece.length == 0) return;
            ClientStream sink = exchange.getProperty(SINK, ClientStream.class);
            if (!sink.write(piece)) exchange.getProperty(SOURCE, StreamSource.class).abort();
        };
    }

    public Processor end() {
        return exchange -> {
            ClientStream sink = exchange.getProperty(SINK, ClientStream.class);
            StreamSource source = exchange.getProperty(SOURCE, StreamSource.class);
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            int status = 200;
            try {
                GatewayError failure = source == null ? null : source.failure();
                if (failure == null && exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null) {
                    failure = new GatewayError(502, "server_error", "relay_failed", null, "The stream relay failed.", java.util.Map.of());
                }
                if (sink != null && !sink.gone() && failure != null) {
                    status = failure.status();
                    call.errorType = failure.code();
                    if (!sink.atFrameBoundary()) sink.write(new byte[] {'\n', '\n'});
                    sink.write(ErrorBodies.streamFrame(call.protocol, failure));
                } else if (sink != null && sink.gone()) {
                    status = 499; // nginx's "client closed request": the caller left before the end
                    call.errorType = "client_closed";
                }
            } finally {
                if (source != null) source.abort();
                if (sink != null) sink.end();
                exchange.getMessage().setBody(null);
                if (source != null) call.usage = source.usage();
                if (call.afterStream != null && status == 200) call.afterStream.run();
                if (sink != null) metering.metrics().streamClosed();
                metering.finish(exchange, call, status);
            }
        };
    }
}
