package io.canaryllm.upstream;

import io.canaryllm.aws.AwsCredentialSource;
import io.canaryllm.aws.AwsSigV4;
import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.config.Settings;
import io.canaryllm.core.Protocol;
import io.canaryllm.call.CallContext;
import io.canaryllm.metering.UsageTap;
import io.canaryllm.translate.Wires;
import io.canaryllm.wire.Wire;
import io.canaryllm.wire.gemini.GeminiWire;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kinds of upstream call. A provider reached over HTTP ({@link #PROVIDER}) speaks its wire as the wire's descriptor
 * ({@link Wire}) says: path, credentials, the marker that ends a complete stream (protocols.md section 7), so a new
 * wire needs nothing here. What is not a wire's but a provider's stays here: Vertex AI's Google Cloud URLs and OAuth
 * token, and Anthropic's token-counting path. A provider's catalogue entry may replace the wire's path
 * ({@code paths}), add query parameters to every URL ({@code query}) and send its key in its own header
 * ({@code auth: {header: …}}): Azure OpenAI is an OpenAI Chat provider configured that way.
 */
public enum UpstreamWire {
    /**
     * Any provider reached over HTTP, on its catalogue wire; a Responses caller passed through to a provider that
     * serves Responses itself goes on the Responses wire.
     */
    PROVIDER,
    /** Anthropic's token counter: called outside the breaker (a failing counter must not suspend a model). */
    ANTHROPIC_COUNT_TOKENS {
        @Override
        String address(ProviderSpec p, CallContext call) { return join(p.baseUrl(), "/v1/messages/count_tokens"); }

        @Override
        Wire wire(CallContext call) { return Wires.of(Protocol.ANTHROPIC); }

        @Override
        byte[] endMarker(CallContext call) { return new byte[0]; }
    },
    /**
     * Vertex AI: {@code /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:…} on the
     * location's host ({@code CANARYLLM_VERTEX_PROJECT}, {@code CANARYLLM_VERTEX_LOCATION}, default {@code global}),
     * with an OAuth access token from the service account. Claude on Vertex is Anthropic's wire on Vertex's URLs.
     */
    VERTEX {
        @Override
        String address(ProviderSpec p, CallContext call) {
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
                    + model + GeminiWire.method(call.stream));
        }

        @Override
        void authenticate(ProviderSpec p, CallContext call, String url, byte[] body, HttpFields.Mutable h, Supplier<String> token) {
            h.put(HttpHeader.AUTHORIZATION, "Bearer " + token.get());
        }

        @Override
        Wire wire(CallContext call) { return Wires.of(isClaude(call) ? Protocol.ANTHROPIC : Protocol.GEMINI); }

        /** Kept as before the descriptors: a Vertex stream is not checked for an end marker. */
        @Override
        byte[] endMarker(CallContext call) { return new byte[0]; }
    },

    /**
     * AWS Bedrock (Converse, ConverseStream): {@code https://bedrock-runtime.<region>.amazonaws.com} unless the
     * provider's {@code baseUrl} says otherwise, the wire's path, and a SigV4 signature (service {@code bedrock}, the
     * provider's region) over the final URL and body by the AWS SDK's signer, with the provider's AWS credentials.
     */
    BEDROCK {
        @Override
        String address(ProviderSpec p, CallContext call) {
            String base = p.baseUrl().isBlank() ? "https://bedrock-runtime." + p.aws().region() + ".amazonaws.com" : p.baseUrl();
            return join(base, wire(call).path(call.target.model().upstream(), call.stream));
        }

        @Override
        void authenticate(ProviderSpec p, CallContext call, String url, byte[] body, HttpFields.Mutable h, Supplier<String> token) {
            ProviderSpec.Aws aws = p.aws();
            AwsCredentialSource credentials = new AwsCredentialSource(aws.accessKeyEnv(), aws.secretKeyEnv(),
                    aws.sessionTokenEnv(), aws.profile());
            AwsSigV4.sign(credentials.resolve(), aws.region(), "bedrock", "POST", url, Map.of(), body).forEach(h::put);
        }
    };

    /** The descriptor of the wire this call speaks. */
    Wire wire(CallContext call) {
        return Wires.of(call.responsesPassthrough ? Protocol.OPENAI_RESPONSES : call.target.wire().protocol());
    }

    /** The call's URL: {@link #address} with the provider's {@code query} parameters (catalogue). */
    final String url(ProviderSpec p, CallContext call) { return p.withQuery(address(p, call)); }

    /** The base URL and the path: the provider's own for this wire ({@code paths} in the catalogue), else the wire's. */
    String address(ProviderSpec p, CallContext call) {
        Wire w = wire(call);
        String model = call.target.model().upstream();
        return join(p.baseUrl(), p.path(w.protocol(), model).orElseGet(() -> w.path(model, call.stream)));
    }

    /**
     * The provider's key as its catalogue entry says: the wire's own way, none (a local server gets no key even when
     * one is configured), or in the provider's header, after the wire's vendor headers written without a key.
     *
     * @param url   the call's final URL and {@code body} what it sends: what a signature covers (AWS)
     * @param token an access token when the call needs one (Vertex), else null
     */
    void authenticate(ProviderSpec p, CallContext call, String url, byte[] body, HttpFields.Mutable headers, Supplier<String> token) {
        ProviderSpec.Auth auth = p.auth();
        String key = auth.style() == ProviderSpec.AuthStyle.NONE ? null : p.apiKey().orElse(null);
        if (auth.style() == ProviderSpec.AuthStyle.HEADER) {
            wire(call).authenticate(null, clientHeaders(call), headers::put);
            if (key != null) headers.put(auth.header(), key);
        } else {
            wire(call).authenticate(key, clientHeaders(call), headers::put);
        }
    }

    /** The bytes a complete stream ends with; empty when the wire has none to check here. */
    byte[] endMarker(CallContext call) { return wire(call).streamEndMarker(); }

    /** Reads the usage of a stream relayed untouched, as its wire reports it; a translated one's translator reads it. */
    UsageTap usageTap(CallContext call) { return call.translation != null ? UsageTap.none() : new UsageTap(wire(call)); }

    /** What a streaming call asks for ({@code Accept}): its wire's stream media type. */
    String streamMediaType(CallContext call) { return wire(call).streamMediaType(); }

    private static Map<String, String> clientHeaders(CallContext call) {
        if (call.anthropicVersion == null && call.anthropicBeta == null) return Map.of(); // every non-Anthropic caller
        Map<String, String> h = new HashMap<>(2);
        if (call.anthropicVersion != null) h.put("anthropic-version", call.anthropicVersion);
        if (call.anthropicBeta != null) h.put("anthropic-beta", call.anthropicBeta);
        return h;
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

    static String join(String base, String path) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
