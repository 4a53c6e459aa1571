package io.canaryllm.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver on loopback, as a collector or Jaeger would be: {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} in protobuf, answered 200. Every span received is kept, decoded into
 * {@link ReceivedSpan}, with the service name of its resource.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final Server server = new Server();
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final int port;

    /** One span: ids in lower-case hex (a root span's parent is ""), attribute values as Java strings, longs, … */
    public record ReceivedSpan(String service, String name, String kind, String traceId, String spanId, String parentSpanId,
                               Map<String, Object> attributes, List<String> events, String status, long startNanos, long endNanos) {
        public Object attr(String key) { return attributes.get(key); }
    }

    public OtlpReceiver() throws Exception { this(Duration.ZERO); }

    /**
     * @param answerDelay how long each export waits for its answer; its spans count as received only once answered
     *                    (an exporter cut off before the answer does not know its spans arrived)
     */
    public OtlpReceiver(Duration answerDelay) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                paths.add(request.getHttpURI().getPath());
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                if (!answerDelay.isZero()) Thread.sleep(answerDelay);
                record(ExportTraceServiceRequest.parseFrom(body));
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-protobuf");
                response.write(true, java.nio.ByteBuffer.allocate(0), callback); // an empty ExportTraceServiceResponse
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
    public String endpoint() { return "http://127.0.0.1:" + port; }

    /** The paths the exporter posted to. */
    public List<String> paths() { return List.copyOf(paths); }

    public List<ReceivedSpan> spans() { return List.copyOf(spans); }

    /** The spans of one trace. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Waits (10 s at most) until a span matching {@code which} arrived; returns it. */
    public ReceivedSpan await(Predicate<ReceivedSpan> which) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ReceivedSpan s : spans) if (which.test(s)) return s;
            Thread.sleep(50);
        }
        throw new AssertionError("no such span within 10 s; received: " + spans);
    }

    private void record(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Object service = attributes(rs.getResource().getAttributesList()).get("service.name");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (var s : ss.getSpansList()) {
                    List<String> events = new ArrayList<>();
                    s.getEventsList().forEach(e -> events.add(e.getName()));
                    spans.add(new ReceivedSpan(String.valueOf(service), s.getName(), s.getKind().name().replace("SPAN_KIND_", ""),
                            hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), attributes(s.getAttributesList()),
                            events, s.getStatus().getCode().name().replace("STATUS_CODE_", ""), s.getStartTimeUnixNano(),
                            s.getEndTimeUnixNano()));
                }
            }
        }
    }

    private static String hex(ByteString bytes) { return HexFormat.of().formatHex(bytes.toByteArray()); }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : list) out.put(kv.getKey(), value(kv.getValue()));
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.toString();
        };
    }

    @Override
    public void close() throws Exception { server.stop(); }
}
