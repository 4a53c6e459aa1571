package io.canaryllm.upstream;

import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.config.Settings;
import io.canaryllm.http.CallContext;
import io.canaryllm.metering.UsageTap;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What differs between upstream wires for the same call: the URL, the credentials and the marker that ends a
 * complete stream (protocols.md section 7).
 */
public enum UpstreamWire {
    /** OpenAI Chat Completions: base URL + {@code /chat/completions}, {@code Authorization: Bearer}. */
    OPENAI_CHAT("[DONE]") {
        @Override
        String url(ProviderSpec p, CallContext call) { return join(p.baseUrl(), "/chat/completions"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            if (p.auth() == ProviderSpec.AuthStyle.BEARER) p.apiKey().ifPresent(k -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + k));
        }
    },
    /** OpenAI Responses (Codex → openai/*): base URL + {@code /responses}; terminal events vary, so no end marker. */
    OPENAI_RESPONSES("") {
        @Override
        String url(ProviderSpec p, CallContext call) { return join(p.baseUrl(), "/responses"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            OPENAI_CHAT.authenticate(p, call, h, token);
        }
    },
    /** Anthropic Messages: origin + {@code /v1/messages}, {@code x-api-key} and {@code anthropic-version}. */
    ANTHROPIC("message_stop") {
        @Override
        String url(ProviderSpec p, CallContext call) { return join(p.baseUrl(), "/v1/messages"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            anthropicHeaders(p, call, h);
        }
    },
    /** Anthropic's token counter: called outside the breaker (a failing counter must not suspend a model). */
    ANTHROPIC_COUNT_TOKENS("") {
        @Override
        String url(ProviderSpec p, CallContext call) { return join(p.baseUrl(), "/v1/messages/count_tokens"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            anthropicHeaders(p, call, h);
        }
    },
    /**
     * Google AI Studio: origin + {@code /v1beta/models/{model}:generateContent} or
     * {@code :streamGenerateContent?alt=sse}, {@code x-goog-api-key}. A Gemini stream has no end marker: the
     * translator checks for the final {@code finishReason} instead.
     */
    GEMINI("") {
        @Override
        String url(ProviderSpec p, CallContext call) {
            return join(p.baseUrl(), "/v1beta/models/" + call.target.model().upstream() + geminiMethod(call));
        }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            p.apiKey().ifPresent(k -> h.put("x-goog-api-key", k));
        }
    },
    /**
     * Vertex AI: {@code /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:…} on the
     * location's host ({@code CANARYLLM_VERTEX_PROJECT}, {@code CANARYLLM_VERTEX_LOCATION}, default {@code global}),
     * with an OAuth access token from the service account.
     */
    VERTEX("") {
        @Override
        String url(ProviderSpec p, CallContext call) {
            String location = Settings.get("CANARYLLM_VERTEX_LOCATION", "global");
            String base = !p.baseUrl().isBlank() ? p.baseUrl()
                    : location.equals("global") ? "https://aiplatform.googleapis.com" : "https://" + location + "-aiplatform.googleapis.com";
            String project = Settings.get("CANARYLLM_VERTEX_PROJECT").orElseThrow(() ->
                    new io.canaryllm.core.GatewayError(501, "invalid_request_error", "provider_not_configured", "model",
                            "Vertex AI needs CANARYLLM_VERTEX_PROJECT and CANARYLLM_VERTEX_CREDENTIALS.", java.util.Map.of()));
            String model = call.target.model().upstream();
            if (isClaude(call)) {
                return join(base, "/v1/projects/" + project + "/locations/" + location + "/publishers/anthropic/models/"
                        + model + (call.stream ? ":streamRawPredict" : ":rawPredict"));
            }
            return join(base, "/v1/projects/" + project + "/locations/" + location + "/publishers/google/models/"
                    + model + geminiMethod(call));
        }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h, Supplier<String> token) {
            h.put(HttpHeader.AUTHORIZATION, "Bearer " + token.get());
        }
    };

    private final byte[] endMarker;

    UpstreamWire(String endMarker) { this.endMarker = endMarker.getBytes(StandardCharsets.US_ASCII); }

    abstract String url(ProviderSpec provider, CallContext call);

    /** @param token an access token when the wire needs one (Vertex), else null */
    abstract void authenticate(ProviderSpec provider, CallContext call, HttpFields.Mutable headers, Supplier<String> token);

    /** The bytes a complete stream ends with; empty when the wire has none to check here. */
    byte[] endMarker() { return endMarker; }

    UsageTap usageTap() {
        return new UsageTap(switch (this) {
            case OPENAI_CHAT -> UsageTap.Dialect.OPENAI_CHAT;
            case OPENAI_RESPONSES -> UsageTap.Dialect.RESPONSES;
            default -> UsageTap.Dialect.ANTHROPIC;
        });
    }

    private static void anthropicHeaders(ProviderSpec p, CallContext call, HttpFields.Mutable h) {
        p.apiKey().ifPresent(k -> h.put("x-api-key", k));
        h.put("anthropic-version", call.anthropicVersion == null ? "2023-06-01" : call.anthropicVersion);
        if (call.anthropicBeta != null) h.put("anthropic-beta", call.anthropicBeta);
    }

    /** Claude on Vertex AI: the Anthropic body with no model and Vertex's anthropic_version (protocols.md 7). */
    static boolean isClaude(CallContext call) {
        return call.target.model().upstream().startsWith("claude");
    }

    /** The body as this wire takes it: Claude on Vertex names the model in the URL and its version in the body. */
    byte[] body(CallContext call) {
        if (this != VERTEX || !isClaude(call)) return call.upstreamBody;
        try {
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) io.canaryllm.core.Json.MAPPER.readTree(call.upstreamBody);
            json.remove("model");
            json.put("anthropic_version", "vertex-2023-10-16");
            return io.canaryllm.core.Json.MAPPER.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String geminiMethod(CallContext call) {
        return call.stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
    }

    static String join(String base, String path) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
