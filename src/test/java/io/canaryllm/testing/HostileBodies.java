package io.canaryllm.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Rows of the request-validation tables: one body a model endpoint must refuse (or take), and what it answers. */
public final class HostileBodies {
    private HostileBodies() {}

    /** JSON, the usual case; rows that test the media type say theirs. */
    public static final String JSON = "application/json";

    /**
     * @param name        what the row tries
     * @param contentType the request's Content-Type, or null to send none
     * @param status      the expected answer
     * @param field       the field the error must name (null: the error names none, or the row expects a 200)
     */
    public record Row(String name, String contentType, String body, int status, String field) {
        public Row(String name, String body, int status, String field) { this(name, JSON, body, status, field); }

        @Override
        public String toString() { return name; }
    }

    /** {@code depth} nested arrays, as a JSON value. */
    public static String nested(int depth) { return "[".repeat(depth) + "]".repeat(depth); }

    /** POSTs {@code body} raw (no Content-Type unless given) with the given headers (name, value pairs). */
    public static HttpResponse<String> post(TestGateway gw, String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An OpenAI error object (Chat and Responses alike): JSON, invalid_request_error, naming {@code field} when not null. */
    public static void assertOpenAiError(HttpResponse<String> r, String field) throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        com.fasterxml.jackson.databind.JsonNode e = TestGateway.json(r.body()).path("error");
        org.junit.jupiter.api.Assertions.assertEquals("invalid_request_error", e.path("type").asText(), r.body());
        org.junit.jupiter.api.Assertions.assertTrue(e.path("message").isTextual() && e.has("param") && e.has("code"), r.body());
        if (field != null) {
            org.junit.jupiter.api.Assertions.assertEquals(field, e.path("param").asText(), r.body());
            org.junit.jupiter.api.Assertions.assertTrue(e.path("message").asText().contains("'" + field + "'"), r.body());
        }
    }
}
