package io.canaryllm.upstream;

import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.call.CallContext;
import io.canaryllm.ops.GatewayMetrics;
import io.canaryllm.pool.DeploymentState;
import io.canaryllm.pool.Pools;
import io.canaryllm.tracing.CallSpans;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The upstream call of one wire ({@link UpstreamWire}), run inside the provider's circuit breaker. It covers connect, status,
 * headers and the first body byte; a stream is then handed on as a {@link UpstreamStream} for the relay, outside the
 * breaker. 429, 5xx, timeouts and transport errors throw {@link UpstreamFailure} (the breaker counts them); other
 * upstream 4xx are answers and pass through.
 */
public final class UpstreamCall implements Processor {
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private final UpstreamClients clients;
    private final GatewayMetrics metrics;
    private final UpstreamWire wire;
    private final java.util.function.Supplier<String> token;
    private final RetryPolicy retries;
    private final Pools pools;
    private final CallSpans spans;

    /**
     * @param retries attempts made here; NONE for model calls, whose pool moves them to another deployment or calls
     *                again (http.NextDeployment)
     */
    public UpstreamCall(UpstreamClients clients, GatewayMetrics metrics, Pools pools, UpstreamWire wire, RetryPolicy retries,
                        CallSpans spans) {
        this(clients, metrics, pools, wire, retries, spans, null);
    }

    /** @param token the access token source of wires that need one (Vertex) */
    public UpstreamCall(UpstreamClients clients, GatewayMetrics metrics, Pools pools, UpstreamWire wire, RetryPolicy retries,
                        CallSpans spans, java.util.function.Supplier<String> token) {
        this.spans = spans;
        this.pools = pools;
        this.retries = retries;
        this.clients = clients;
        this.metrics = metrics;
        this.wire = wire;
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        for (int attempt = 0; ; attempt++) {
            try {
                callOnce(exchange, call);
                return;
            } catch (UpstreamFailure failure) {
                // nothing has reached the caller yet: a transient failure may be tried again (RetryPolicy)
                long delay = retries.delayMs(failure, attempt);
                if (delay < 0) throw failure;
                metrics.upstreamRetry(call.providerName(), failure.kind() == UpstreamFailure.Kind.HTTP_STATUS
                        ? Integer.toString(failure.status()) : failure.kind().name().toLowerCase());
                Thread.sleep(delay);
            }
        }
    }

    private void callOnce(Exchange exchange, CallContext call) throws Exception {
        DeploymentState deployment = pools.state(call.target.deployment());
        DeploymentState.Lease lease = deployment.begin();
        boolean streaming = false;
        try {
            streaming = callOnce(exchange, call, deployment, lease);
        } finally {
            if (!streaming) lease.close(); // a stream's lease ends with the stream
        }
    }

    /** @return whether a stream now holds the lease */
    private boolean callOnce(Exchange exchange, CallContext call, DeploymentState deployment, DeploymentState.Lease lease)
            throws Exception {
        ProviderSpec provider = call.target.provider();
        // an OpenAI-compatible provider that also serves Responses takes a Responses caller's body as it came
        UpstreamWire wire = this.wire;
        ProviderSpec.Timeouts timeouts = provider.timeouts();

        // URL and body first: a signature (AWS) covers both
        String url = wire.url(provider, call);
        byte[] body = wire.body(call);
        // every attempt of every wire is a span of its own, and the upstream gets that span's traceparent
        Span attempt = spans.attempt(call, url);
        Request request = clients.forProvider(provider).newRequest(url)
                .method(HttpMethod.POST)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, call.stream ? wire.streamMediaType(call) : "application/json");
                    wire.authenticate(provider, call, url, body, h, token);
                    // after the signature (AWS): the trace header is not one of the signed headers
                    CallSpans.propagate(attempt, h::put);
                })
                .body(new BytesRequestContent("application/json", body))
                .idleTimeout(timeouts.idleMs(), TimeUnit.MILLISECONDS);
        if (!call.stream) request.timeout(timeouts.totalMs(), TimeUnit.MILLISECONDS);

        // a stream: queue + connect + headers + first byte, cancelled once the first byte is in (Request.timeout
        // would cap the whole stream); a plain call: Request.timeout covers it all
        Scheduler.Task deadline = call.stream
                ? clients.scheduler().schedule(
                        () -> request.abort(new TimeoutException("no first byte within " + timeouts.firstByteMs() + " ms")),
                        timeouts.firstByteMs(), TimeUnit.MILLISECONDS)
                : null;
        long sent = System.nanoTime();
        ResponsePieces pieces = new ResponsePieces();
        request.send(pieces);
        try {
            Response response = pieces.awaitHead((call.stream ? timeouts.firstByteMs() : timeouts.totalMs()) + 1_000);
            int status = response.getStatus();
            call.upstreamStatus = status;
            Message out = exchange.getMessage();
            if (status == 200 && call.stream) {
                byte[] first = pieces.next();
                if (first == null) throw new IOException("stream closed before its first byte", pieces.failure());
                cancel(deadline);
                firstByte(call, deployment, System.nanoTime() - sent);
                out.setBody(new UpstreamStream(provider.name(), request, pieces, first, wire.endMarker(call), wire.usageTap(call),
                        lease));
                metrics.deploymentCall(call, "2xx");
                spans.attemptAnswered(call, attempt, status, null, true);
                return true;
            }
            byte[] answer = pieces.readAll(MAX_BODY);
            cancel(deadline);
            if (status == 429 || status >= 500) {
                metrics.deploymentCall(call, status == 429 ? "429" : "5xx");
                spans.attemptAnswered(call, attempt, status, Integer.toString(status), false);
                throw UpstreamFailure.status(provider.name(), status, answer, response.getHeaders().get(HttpHeader.RETRY_AFTER));
            }
            firstByte(call, deployment, System.nanoTime() - sent);
            metrics.deploymentCall(call, status < 300 ? "2xx" : "4xx");
            spans.attemptAnswered(call, attempt, status, null, false);
            // a 2xx answer, or a 4xx that is the caller's to read: relayed as the upstream wrote it
            exchange.setProperty(CallContext.STREAM, false);
            out.setBody(answer);
            String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
            out.setHeader(Exchange.CONTENT_TYPE, type == null ? "application/json" : type);
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            return false;
        } catch (UpstreamFailure e) {
            throw e;
        } catch (Throwable e) {
            cancel(deadline);
            request.abort(e);
            UpstreamFailure failure = classify(provider.name(), e);
            metrics.deploymentCall(call, failure.kind().name().toLowerCase());
            spans.attemptAnswered(call, attempt, 0, failure.kind().name().toLowerCase(), false);
            throw failure;
        }
    }

    /** An answer began: the provider's timer and the deployment's moving average (lowest-latency reads it). */
    private void firstByte(CallContext call, DeploymentState deployment, long nanos) {
        metrics.upstreamFirstByte(call, nanos);
        deployment.firstByte(nanos);
    }

    private static void cancel(Scheduler.Task deadline) {
        if (deadline != null) deadline.cancel();
    }

    static UpstreamFailure classify(String provider, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // Jetty's queue of requests waiting for a connection to this provider is full (a burst of new calls)
            if (c instanceof java.util.concurrent.RejectedExecutionException) return UpstreamFailure.saturated(provider, c);
        }
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof IOException) && cause.getCause() != null
                && cause.getCause() != cause) {
            if (cause.getCause() instanceof TimeoutException) break;
            cause = cause.getCause();
        }
        if (e instanceof TimeoutException || cause instanceof TimeoutException || cause.getCause() instanceof TimeoutException) {
            return UpstreamFailure.timeout(provider, cause.getCause() instanceof TimeoutException t ? t.getMessage() : cause.getMessage());
        }
        return UpstreamFailure.unreachable(provider, cause);
    }
}
