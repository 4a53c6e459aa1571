package io.canaryllm.tracing;

import io.canaryllm.call.CallContext;
import io.canaryllm.canonical.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.camel.Message;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The spans of one call, by the OpenTelemetry GenAI conventions: a SERVER span for the client's call (continuing
 * the caller's {@code traceparent}), a CLIENT span for every upstream attempt (whose own {@code traceparent} goes
 * upstream), an INTERNAL span for every retry's pause and one for the fallback model's part of the call. The server
 * span ends when the call does (a stream: at its last event, the client gone or the upstream broken), so its token
 * counts are the ones billed. With tracing off every span is the invalid span and each method returns after one
 * {@code isRecording()} check.
 */
public final class CallSpans {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    /** Named after the GenAI server metric of the same meaning (the conventions have no span attribute for it). */
    static final AttributeKey<Double> TIME_TO_FIRST_TOKEN = AttributeKey.doubleKey("gen_ai.server.time_to_first_token");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("canaryllm.key_id");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("canaryllm.endpoint");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("canaryllm.request_id");
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("canaryllm.deployment");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("canaryllm.attempt");
    static final AttributeKey<Boolean> RETRY = AttributeKey.booleanKey("canaryllm.retry");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("canaryllm.stream");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_WRITE_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<String> FROM_MODEL = AttributeKey.stringKey("canaryllm.fallback.from");
    static final AttributeKey<String> TO_MODEL = AttributeKey.stringKey("canaryllm.fallback.to");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("canaryllm.reason");
    static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("canaryllm.retry.delay_ms");
    static final AttributeKey<String> FROM_DEPLOYMENT = AttributeKey.stringKey("canaryllm.deployment.from");
    static final AttributeKey<String> TO_DEPLOYMENT = AttributeKey.stringKey("canaryllm.deployment.to");

    /** Camel's headers are case-insensitive, so {@code Traceparent} is found as well. */
    private static final TextMapGetter<Message> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Message carrier) { return carrier.getHeaders().keySet(); }

        @Override
        public String get(Message carrier, String key) { return carrier == null ? null : carrier.getHeader(key, String.class); }
    };

    private final Tracing tracing;

    public CallSpans(Tracing tracing) { this.tracing = tracing; }

    /** The call arrived: its server span, a child of the caller's trace when the request carried one. */
    public void open(CallContext call, Message request) {
        if (!tracing.enabled()) return;
        Context parent = Tracing.extract(request, HEADERS);
        call.span = tracing.tracer().spanBuilder(call.endpoint).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(System.currentTimeMillis() - (System.nanoTime() - call.startNanos) / 1_000_000, TimeUnit.MILLISECONDS)
                .setAttribute(ENDPOINT, call.endpoint)
                .setAttribute(REQUEST_ID, call.requestId == null ? "" : call.requestId)
                .startSpan();
    }

    /** An upstream attempt begins: its CLIENT span, child of the call's (or of the fallback's). */
    public Span attempt(CallContext call, String url) {
        int number = ++call.attempts;
        Span parent = call.fallbackSpan != null ? call.fallbackSpan : call.span;
        // a call the sampler dropped: no span, but the upstream still learns the trace (its flag says unsampled)
        if (!parent.isRecording()) return parent;
        String model = call.target.deployment().upstream();
        var b = tracing.tracer().spanBuilder(operation(call) + " " + model).setParent(Context.root().with(parent))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, operation(call))
                .setAttribute(PROVIDER, providerName(call.target.provider().name()))
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(DEPLOYMENT, call.target.deployment().name())
                .setAttribute(ATTEMPT, number)
                .setAttribute(RETRY, number > 1)
                .setAttribute(STREAM, call.stream);
        try {
            URI uri = URI.create(url);
            b.setAttribute(SERVER_ADDRESS, uri.getHost());
            b.setAttribute(SERVER_PORT, (long) (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80));
        } catch (IllegalArgumentException notAUri) {
            // the attempt is traced without its address
        }
        return b.startSpan();
    }

    /** Writes the attempt's {@code traceparent} (and {@code tracestate}) into its request with {@code header}. */
    public static void propagate(Span attempt, BiConsumer<String, String> header) {
        if (attempt.getSpanContext().isValid()) Tracing.inject(Context.root().with(attempt), header);
    }

    /**
     * The attempt has its answer's head ({@code status}), or failed ({@code failure}). A stream's attempt stays open
     * until the stream ends ({@link #end}); any other ends here.
     */
    public void attemptAnswered(CallContext call, Span span, int status, String failure, boolean streaming) {
        if (!span.isRecording() || span == call.span) return;
        if (status > 0) span.setAttribute(HTTP_STATUS, (long) status);
        if (failure == null && status >= 400) failure = Integer.toString(status); // the HTTP client conventions
        if (failure != null) {
            span.setAttribute(ERROR_TYPE, failure);
            span.setStatus(StatusCode.ERROR, failure);
        }
        if (streaming) call.attemptSpan = span;
        else span.end();
    }

    /** No deployment is left: the same is called again after {@code delayMs}; the returned span covers the pause. */
    public Span retry(CallContext call, String reason, long delayMs) {
        if (!call.span.isRecording()) return Span.getInvalid();
        Attributes a = Attributes.of(REASON, reason, DELAY_MS, delayMs, DEPLOYMENT, call.deploymentName());
        call.span.addEvent("canaryllm.retry", a);
        Span parent = call.fallbackSpan != null ? call.fallbackSpan : call.span;
        return tracing.tracer().spanBuilder("retry " + call.deploymentName()).setParent(Context.root().with(parent))
                .setSpanKind(SpanKind.INTERNAL).setAllAttributes(a).setAttribute(RETRY, true).startSpan();
    }

    /** A failed attempt moves at once to another deployment of the pool. */
    public void moved(CallContext call, String from, String to, String reason) {
        if (!call.span.isRecording()) return;
        call.span.addEvent("canaryllm.deployment_moved", Attributes.of(FROM_DEPLOYMENT, from, TO_DEPLOYMENT, to, REASON, reason));
    }

    /** The model failed before answering and its fallback takes the call: a span for the fallback's part of it. */
    public void fallback(CallContext call, String from, String to) {
        if (!call.span.isRecording()) return;
        Attributes a = Attributes.of(FROM_MODEL, from, TO_MODEL, to);
        if (call.modelBeforeFallback == null) call.modelBeforeFallback = from;
        call.span.addEvent("canaryllm.fallback", a);
        if (call.fallbackSpan != null) call.fallbackSpan.end(); // a fallback's own fallback
        call.fallbackSpan = tracing.tracer().spanBuilder("fallback " + to).setParent(Context.root().with(call.span))
                .setSpanKind(SpanKind.INTERNAL).setAllAttributes(a).startSpan();
    }

    /** The first streamed byte went to the caller. */
    public void firstToken(CallContext call) {
        if (!call.span.isRecording()) return;
        call.span.addEvent("gen_ai.first_token");
    }

    /**
     * The call ended with {@code status} (499: the caller left mid-stream): the GenAI attributes known only now
     * (model served, tokens, time to first token), then its open spans end, the server span last.
     */
    public void end(CallContext call, int status) {
        Span span = call.span;
        if (!span.isRecording()) return;
        String errorType = status >= 400 ? (call.errorType != null ? call.errorType : Integer.toString(status)) : null;
        if (call.attemptSpan != null) {
            Span attempt = call.attemptSpan;
            call.attemptSpan = null;
            usage(attempt, call.usage);
            if (errorType != null) {
                attempt.setAttribute(ERROR_TYPE, errorType);
                attempt.setStatus(StatusCode.ERROR, errorType);
            }
            attempt.end();
        }
        if (call.fallbackSpan != null) {
            call.fallbackSpan.end();
            call.fallbackSpan = null;
        }
        String operation = operation(call);
        span.setAttribute(OPERATION, operation);
        span.setAttribute(HTTP_STATUS, (long) status);
        span.setAttribute(STREAM, call.stream);
        if (call.key != null) span.setAttribute(KEY_ID, call.key.id());
        String requested = call.modelBeforeFallback != null ? call.modelBeforeFallback : call.requestedModel != null ? call.requestedModel : call.target != null ? call.target.model().id() : null;
        if (requested != null) span.setAttribute(REQUEST_MODEL, requested);
        if (call.target != null) {
            span.setAttribute(PROVIDER, providerName(call.target.provider().name()));
            span.setAttribute(RESPONSE_MODEL, call.target.model().id());
            span.setAttribute(DEPLOYMENT, call.target.deployment().name());
        }
        span.updateName(requested == null ? call.endpoint : operation + " " + requested);
        usage(span, call.usage);
        if (call.firstTokenNanos != 0) {
            span.setAttribute(TIME_TO_FIRST_TOKEN, (call.firstTokenNanos - call.startNanos) / 1e9);
        }
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            // the HTTP conventions: a server's 4xx is the caller's mistake, not the span's; a stream cut off is
            if (status >= 500 || status == 499) span.setStatus(StatusCode.ERROR, errorType);
        }
        span.end();
        call.span = Span.getInvalid(); // a call that ends twice (an error after the answer) is traced once
    }

    private static void usage(Span span, Usage usage) {
        if (usage == null) return;
        span.setAttribute(INPUT_TOKENS, usage.input());
        span.setAttribute(OUTPUT_TOKENS, usage.output());
        if (usage.cacheRead() > 0) span.setAttribute(CACHE_READ_TOKENS, usage.cacheRead());
        if (usage.cacheWrite() > 0) span.setAttribute(CACHE_WRITE_TOKENS, usage.cacheWrite());
    }

    /** The GenAI operation: every model endpoint is a chat, counting tokens is not. */
    private static String operation(CallContext call) {
        return switch (call.endpoint) {
            case "chat_completions", "messages", "responses" -> "chat";
            default -> call.endpoint;
        };
    }

    /** The conventions' well-known provider names for the catalogue's own providers; any other keeps its name. */
    static String providerName(String catalogueName) {
        return switch (catalogueName) {
            case "gemini" -> "gcp.gemini";
            case "vertex" -> "gcp.vertex_ai";
            case "bedrock" -> "aws.bedrock";
            case "azure" -> "azure.ai.openai";
            case "xai" -> "x_ai";
            default -> catalogueName;
        };
    }
}
