package io.canaryllm.upstream;

import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.http.CallContext;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

import java.nio.charset.StandardCharsets;

/**
 * What differs between upstream wires for the same call: the URL, the credentials and the marker that ends a
 * complete stream (protocols.md section 7).
 */
public enum UpstreamWire {
    /** OpenAI Chat Completions: base URL + {@code /chat/completions}, {@code Authorization: Bearer}. */
    OPENAI_CHAT("[DONE]") {
        @Override
        String url(ProviderSpec p) { return join(p.baseUrl(), "/chat/completions"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h) {
            if (p.auth() == ProviderSpec.AuthStyle.BEARER) p.apiKey().ifPresent(k -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + k));
        }
    },
    /** Anthropic Messages: origin + {@code /v1/messages}, {@code x-api-key} and {@code anthropic-version}. */
    ANTHROPIC("message_stop") {
        @Override
        String url(ProviderSpec p) { return join(p.baseUrl(), "/v1/messages"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h) { anthropicHeaders(p, call, h); }
    },
    /** Anthropic's token counter: called outside the breaker (a failing counter must not suspend a model). */
    ANTHROPIC_COUNT_TOKENS("") {
        @Override
        String url(ProviderSpec p) { return join(p.baseUrl(), "/v1/messages/count_tokens"); }

        @Override
        void authenticate(ProviderSpec p, CallContext call, HttpFields.Mutable h) { anthropicHeaders(p, call, h); }
    };

    private static void anthropicHeaders(ProviderSpec p, CallContext call, HttpFields.Mutable h) {
        p.apiKey().ifPresent(k -> h.put("x-api-key", k));
        h.put("anthropic-version", call.anthropicVersion == null ? "2023-06-01" : call.anthropicVersion);
        if (call.anthropicBeta != null) h.put("anthropic-beta", call.anthropicBeta);
    }

    private final byte[] endMarker;

    UpstreamWire(String endMarker) { this.endMarker = endMarker.getBytes(StandardCharsets.US_ASCII); }

    abstract String url(ProviderSpec provider);

    abstract void authenticate(ProviderSpec provider, CallContext call, HttpFields.Mutable headers);

    byte[] endMarker() { return endMarker; }

    io.canaryllm.metering.UsageTap usageTap() {
        return new io.canaryllm.metering.UsageTap(this == OPENAI_CHAT
                ? io.canaryllm.metering.UsageTap.Dialect.OPENAI_CHAT : io.canaryllm.metering.UsageTap.Dialect.ANTHROPIC);
    }

    static String join(String base, String path) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
