package io.canaryllm.call;

import io.canaryllm.core.ClientProtocol;
import io.canaryllm.auth.ApiKey;
import io.canaryllm.canonical.Usage;
import io.canaryllm.catalogue.Catalogue;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Everything one call carries through the routes, in one exchange property ({@link #PROPERTY}). Routes branch on
 * the two plain properties {@link #STREAM} and {@link #WIRE} that the decoder sets beside it.
 */
public final class CallContext {
    public static final String PROPERTY = "canary";
    public static final String STREAM = "canaryStream";
    public static final String WIRE = "canaryWire";
    public static final String PROVIDER = "canaryProvider";
    /** The deployment the call goes to now: the route calls {@code direct:upstream-<deployment>}. */
    public static final String DEPLOYMENT = "canaryDeployment";
    /** The header that carries a call's request id, the caller's or a new one (http.FrontDoor sets it). */
    public static final String REQUEST_ID_HEADER = "x-request-id";

    public final ClientProtocol protocol;
    public final String endpoint;
    public final long startNanos = System.nanoTime();
    /** The caller's HTTP response, captured before any step replaces the exchange's message; null off HTTP. */
    public final HttpServerResponse response;
    /** The request id the answer carries ({@code x-request-id}) and the logs name. */
    public final String requestId;
    public ApiKey key;
    public Catalogue.Target target;
    public boolean stream;
    /** The request body as it goes upstream (same wire: the client's bytes with only {@code model} rewritten). */
    public byte[] upstreamBody;
    /** The caller's {@code anthropic-version} and {@code anthropic-beta}, forwarded on the Anthropic wire. */
    public String anthropicVersion;
    public String anthropicBeta;
    /** The caller's request as decoded (after any extension point and stored-conversation splice). */
    public byte[] clientBody;
    /** Run when a relayed stream ended complete (storing a translated Responses answer). */
    public Runnable afterStream;
    /** A Responses caller passed through to a provider that serves Responses itself. */
    public boolean responsesPassthrough;
    /** Extra answer headers (built-in tools dropped for the target, …). */
    public final java.util.Map<String, String> answerHeaders = new java.util.LinkedHashMap<>(2);
    /** Set when caller and provider speak different protocols; null for a passthrough. */
    public Translation translation;
    /** Upstream HTTP status, 0 before the call. */
    public int upstreamStatus;
    /** Tokens the answer used, as far as seen (a stream cut short counts what arrived). */
    public Usage usage = Usage.ZERO;
    /** What the caller is billed for {@link #usage}, null when the model is unpriced. */
    public java.math.BigDecimal cost;
    /** The model the caller asked for (or an extension point chose), kept for the ledger when it does not resolve. */
    public String requestedModel;
    /** {@link System#nanoTime()} when the first streamed byte went to the caller; 0 until then (and for plain answers). */
    public volatile long firstTokenNanos;
    /** Deployments of the current model this call tried and that failed (a failure moves it to another). */
    public java.util.Set<String> triedDeployments = java.util.Set.of();
    /** The deployment the next decode targets (set when a failure moves the call); null: the pool chooses. */
    public io.canaryllm.catalogue.Deployment nextDeployment;
    /** Calls of the same deployment again after a pause, when no other was left (RetryPolicy counts them). */
    public int retries;
    /** Set once the call's usage row is queued, so a call that ends twice (an error after the answer) counts once. */
    public boolean ledgered;
    /** The call's server span (tracing.CallSpans); the invalid span, which records nothing, when tracing is off. */
    public io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.getInvalid();
    /** The span of the upstream attempt that answered, while its stream is relayed; null when none is open. */
    public io.opentelemetry.api.trace.Span attemptSpan;
    /** The span of the fallback model's part of the call, once the call fell back; its attempts are its children. */
    public io.opentelemetry.api.trace.Span fallbackSpan;
    /** Upstream attempts made so far (every deployment, retry and fallback): the next one is number attempts + 1. */
    public int attempts;
    /** The model the caller asked for, kept when a fallback replaced it (the trace's {@code gen_ai.request.model}). */
    public String modelBeforeFallback;
    /** What went wrong, for the trace's {@code error.type} (the error's code); null when nothing did. */
    public String errorType;

    private CallContext(ClientProtocol protocol, String endpoint, HttpServerResponse response, String requestId) {
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.response = response;
        this.requestId = requestId;
    }

    /** Opens the context of a call arriving on {@code exchange} and stores it there. */
    public static CallContext open(Exchange exchange, ClientProtocol protocol, String endpoint) {
        HttpServerResponse response = exchange.getIn() instanceof HttpMessage http ? http.getResponse() : null;
        String requestId = exchange.getIn().getHeader(REQUEST_ID_HEADER, String.class);
        CallContext call = new CallContext(protocol, endpoint, response, requestId);
        exchange.setProperty(PROPERTY, call);
        exchange.setProperty("canaryRequestId", requestId);
        return call;
    }

    /**
     * The end of the call as the extension-point routes see it: plain exchange properties (status, tokens, cost,
     * latency), so an operator's YAML reads {@code ${exchangeProperty.canaryOutputTokens}} without Java.
     */
    public void publish(Exchange exchange, int status) {
        exchange.setProperty("canaryStatus", status);
        exchange.setProperty("canaryLatencyMs", (System.nanoTime() - startNanos) / 1_000_000);
        exchange.setProperty("canaryInputTokens", usage.input());
        exchange.setProperty("canaryOutputTokens", usage.output());
        exchange.setProperty("canaryCacheReadTokens", usage.cacheRead());
        exchange.setProperty("canaryCacheWriteTokens", usage.cacheWrite());
        exchange.setProperty("canaryReasoningTokens", usage.reasoning());
        exchange.setProperty("canaryCost", cost == null ? java.math.BigDecimal.ZERO : cost);
    }

    public String providerName() { return target == null ? "none" : target.provider().name(); }

    public String modelId() { return target == null ? "none" : target.model().id(); }

    /** The deployment that served (or was last tried); "none" before the model resolved. */
    public String deploymentName() { return target == null ? "none" : target.deployment().name(); }

    /** Records a failed deployment, so the pool moves the call elsewhere. */
    public void tried(String deployment) {
        if (triedDeployments.isEmpty()) triedDeployments = new java.util.HashSet<>(4);
        triedDeployments.add(deployment);
    }
}
