package io.canaryllm.vertex;

import io.canaryllm.config.Settings;
import io.canaryllm.core.GatewayError;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Access tokens for Vertex AI from the service account in {@code CANARYLLM_VERTEX_CREDENTIALS} (a file path or the
 * JSON itself). The credentials are read on the first Vertex call, so a gateway without Vertex never needs them.
 */
public final class VertexTokens implements Supplier<String> {
    private volatile VertexCredentials credentials;

    @Override
    public String get() {
        VertexCredentials c = credentials;
        if (c == null) {
            synchronized (this) {
                if (credentials == null) {
                    String source = Settings.get("CANARYLLM_VERTEX_CREDENTIALS").orElseThrow(() -> new GatewayError(501,
                            "invalid_request_error", "provider_not_configured", "model",
                            "Vertex AI needs CANARYLLM_VERTEX_CREDENTIALS (service-account JSON or its path).", Map.of()));
                    credentials = VertexCredentials.load(source);
                }
                c = credentials;
            }
        }
        try {
            return c.accessToken();
        } catch (VertexAuthException e) {
            throw new GatewayError(502, "server_error", "upstream_auth_failed", null,
                    "Vertex AI refused the gateway's service account: " + e.getMessage(), Map.of());
        }
    }
}
