package io.canaryllm.tracing;

import io.canaryllm.config.Settings;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.api.common.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The gateway's tracer: the OpenTelemetry SDK exporting over OTLP (HTTP, protobuf) when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set, and OpenTelemetry's
 * no-op tracer otherwise: then no SDK object, exporter or thread is built, and every span is the invalid span,
 * whose calls do nothing. Built by hand rather than by the SDK's autoconfigure module, which would read every
 * {@code OTEL_*} variable and pull exporters and samplers the gateway does not ship; the few variables honoured are
 * listed in the README ("Traces"). W3C trace context ({@code traceparent}, {@code tracestate}) is the one propagator.
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    static final String SCOPE = "io.canaryllm";
    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    /** Off: the no-op tracer, for tests and callers that have no settings. */
    public static final Tracing OFF = new Tracing(null, TracerProvider.noop().get(SCOPE), null);

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final String endpoint;

    private Tracing(SdkTracerProvider provider, Tracer tracer, String endpoint) {
        this.provider = provider;
        this.tracer = tracer;
        this.endpoint = endpoint;
    }

    /** From the environment (or JVM system properties of the same names, as every setting). */
    public static Tracing fromSettings() { return create(Settings::get); }

    /** @param settings a variable's value by name, empty when unset */
    public static Tracing create(Function<String, Optional<String>> settings) {
        // the traces endpoint is used as it is; the general one gets the signal's path, as the OTLP spec says
        Optional<String> traces = settings.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        Optional<String> endpoint = traces.isPresent() ? traces
                : settings.apply("OTEL_EXPORTER_OTLP_ENDPOINT").map(e -> e.replaceAll("/+$", "") + "/v1/traces");
        if (endpoint.isEmpty() || settings.apply("OTEL_TRACES_EXPORTER").filter("none"::equalsIgnoreCase).isPresent()) {
            return OFF;
        }
        String protocol = settings.apply("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                .or(() -> settings.apply("OTEL_EXPORTER_OTLP_PROTOCOL")).orElse("http/protobuf");
        if (!protocol.equals("http/protobuf")) {
            // the exporter's only sender here is the JDK's HTTP client: gRPC and JSON would need more libraries
            LOG.warn("OTEL_EXPORTER_OTLP_PROTOCOL={} is not supported; traces go to {} as http/protobuf", protocol, endpoint.get());
        }
        var exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.get());
        headers(settings.apply("OTEL_EXPORTER_OTLP_TRACES_HEADERS").or(() -> settings.apply("OTEL_EXPORTER_OTLP_HEADERS")))
                .forEach(exporter::addHeader);
        String service = settings.apply("OTEL_SERVICE_NAME").orElse("canaryllm");
        long delayMs = settings.apply("OTEL_BSP_SCHEDULE_DELAY").map(Long::parseLong).orElse(5_000L);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setSampler(sampler(settings.apply("OTEL_TRACES_SAMPLER").orElse("parentbased_always_on"),
                        settings.apply("OTEL_TRACES_SAMPLER_ARG")))
                .setResource(Resource.getDefault().merge(Resource.create(
                        io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("service.name"), service))))
                // spans leave in batches on the processor's own thread, never on a request's
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).setScheduleDelay(Duration.ofMillis(delayMs)).build())
                .build();
        LOG.info("traces exported over OTLP to {} as service {}", endpoint.get(), service);
        return new Tracing(provider, provider.get(SCOPE), endpoint.get());
    }

    /**
     * {@code OTEL_TRACES_SAMPLER} and its argument, by the SDK's names: exporting every call costs CPU under heavy
     * load (README "Traces"), so an operator may keep a share of the traces. The parent-based samplers follow the
     * caller's sampled flag, so a trace is kept or dropped whole.
     */
    static Sampler sampler(String name, Optional<String> arg) {
        double ratio = arg.map(Double::parseDouble).orElse(1.0);
        return switch (name) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> throw new IllegalArgumentException("OTEL_TRACES_SAMPLER=" + name + " is not one of always_on, always_off, "
                    + "traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio");
        };
    }

    /** {@code OTEL_EXPORTER_OTLP_HEADERS}: {@code name=value,name=value} (a collector's API key …). */
    static Map<String, String> headers(Optional<String> spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        spec.ifPresent(s -> {
            for (String pair : s.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) out.put(pair.substring(0, eq).trim(), java.net.URLDecoder.decode(pair.substring(eq + 1).trim(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return out;
    }

    public boolean enabled() { return provider != null; }

    /** Where spans go; null when tracing is off. */
    public String endpoint() { return endpoint; }

    Tracer tracer() { return tracer; }

    /** The caller's trace, from its {@code traceparent}/{@code tracestate} (the root context when it sent none). */
    static <C> Context extract(C carrier, TextMapGetter<C> getter) { return PROPAGATOR.extract(Context.root(), carrier, getter); }

    /** Writes {@code traceparent} (and {@code tracestate}) of {@code context} with {@code put}. */
    static void inject(Context context, BiConsumer<String, String> put) {
        PROPAGATOR.inject(context, put, (p, name, value) -> p.accept(name, value));
    }

    /** Exports what is still queued and stops the exporter (at shutdown, after the last call ended). */
    @Override
    public void close() {
        if (provider != null) provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
