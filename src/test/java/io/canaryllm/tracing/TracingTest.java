package io.canaryllm.tracing;

import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When tracing is on, and that it costs nothing and sends nothing when it is off. */
class TracingTest {

    private static Tracing with(Map<String, String> env) {
        return Tracing.create(name -> Optional.ofNullable(env.get(name)));
    }

    @Test
    void withoutAnEndpointNoExporterIsBuiltAndNoSpanRecords() {
        Tracing off = with(Map.of("OTEL_SERVICE_NAME", "x", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        assertSame(Tracing.OFF, off);
        assertFalse(off.enabled());
        assertNull(off.endpoint());
        var span = off.tracer().spanBuilder("chat").startSpan();
        assertFalse(span.isRecording());
        assertFalse(span.getSpanContext().isValid(), "the no-op tracer's span: nothing to propagate either");
        Map<String, String> headers = new java.util.HashMap<>();
        CallSpans.propagate(span, headers::put);
        assertTrue(headers.isEmpty(), headers.toString());
    }

    @Test
    void exportingCanBeSwitchedOffWithTheStandardVariable() {
        assertSame(Tracing.OFF, with(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER", "none")));
    }

    @Test
    void theEndpointGetsTheTracesPathAndTheTracesEndpointIsUsedAsItIs() {
        try (Tracing on = with(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318/"))) {
            assertTrue(on.enabled());
            assertEquals("http://127.0.0.1:4318/v1/traces", on.endpoint());
            assertTrue(on.tracer().spanBuilder("x").startSpan().isRecording());
        }
        try (Tracing on = with(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:9999/custom"))) {
            assertEquals("http://127.0.0.1:9999/custom", on.endpoint());
        }
    }

    @Test
    void exporterHeadersAreNameValuePairs() {
        assertEquals(Map.of("api-key", "s3cr=t", "x-team", "gw"),
                Tracing.headers(Optional.of("api-key=s3cr%3Dt, x-team=gw")));
    }

    @Test
    void theConventionsProviderNames() {
        assertEquals("gcp.gemini", CallSpans.providerName("gemini"));
        assertEquals("aws.bedrock", CallSpans.providerName("bedrock"));
        assertEquals("openai", CallSpans.providerName("openai"));
        assertEquals("lmstudio", CallSpans.providerName("lmstudio"));
    }

    /** The shared test gateway runs without OTEL_EXPORTER_OTLP_ENDPOINT: its upstream requests carry no trace header. */
    @Test
    void aGatewayWithoutAnEndpointSendsNoTraceparentUpstream() throws Exception {
        TestGateway gw = TestGateway.get();
        gw.fake.reset();
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "untraced"));
        var r = gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + gw.apiKey, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertEquals(200, r.statusCode(), r.body());
        var sent = gw.fake.received("openai").get(0).headers();
        assertFalse(sent.containsKey("traceparent"), sent.toString());
        assertFalse(sent.containsKey("tracestate"), sent.toString());
    }

    @Test
    void aSamplerKeepsAShareOfTheTracesAndFollowsTheCallersFlag() {
        try (Tracing on = with(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25"))) {
            int kept = 0;
            for (int i = 0; i < 4000; i++) if (on.tracer().spanBuilder("chat").startSpan().isRecording()) kept++;
            assertTrue(kept > 800 && kept < 1200, "about a quarter of new traces: " + kept);
            // a caller that sampled its trace out: the gateway's span is not recorded either, but still propagates
            var unsampled = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                    "00f067aa0ba902b7", io.opentelemetry.api.trace.TraceFlags.getDefault(), io.opentelemetry.api.trace.TraceState.getDefault());
            var span = on.tracer().spanBuilder("chat").setParent(io.opentelemetry.context.Context.root()
                    .with(io.opentelemetry.api.trace.Span.wrap(unsampled))).startSpan();
            assertFalse(span.isRecording());
            Map<String, String> headers = new java.util.HashMap<>();
            CallSpans.propagate(span, headers::put);
            assertTrue(headers.get("traceparent").startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-") && headers.get("traceparent").endsWith("-00"),
                    headers.toString());
        }
        assertEquals(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn(), Tracing.sampler("always_on", Optional.empty()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Tracing.sampler("jaeger_remote", Optional.empty()));
    }
}
