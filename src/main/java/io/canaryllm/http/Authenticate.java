package io.canaryllm.http;

import io.canaryllm.auth.ApiKey;
import io.canaryllm.auth.GuardedMasterKey;
import io.canaryllm.auth.KeyCache;
import io.canaryllm.auth.MasterKey;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.tracing.CallSpans;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.Optional;

/**
 * Route step: finds the caller's API key ({@code Authorization: Bearer} or {@code x-api-key}) and opens the
 * call's {@link CallContext}. A missing, unknown or revoked key is a 401 in the endpoint's error format.
 */
public final class Authenticate {
    private final KeyCache keys;
    /** The admin API's own allowance of wrong master keys, apart from the console's sign-in's. */
    private final GuardedMasterKey adminKey;
    private final CallSpans spans;

    /** @param spans the call's trace opens here, first, so that a refused key is traced too */
    public Authenticate(KeyCache keys, MasterKey master, CallSpans spans) {
        this.keys = keys;
        this.adminKey = new GuardedMasterKey(master);
        this.spans = spans;
    }

    /** The step for a client endpoint: {@code protocol} names the error format, {@code endpoint} the metric label. */
    public Processor apiKey(ClientProtocol protocol, String endpoint) {
        return exchange -> apiKey(exchange, protocol, endpoint);
    }

    /** The step for {@code /admin}. */
    public Processor masterKey() {
        return this::masterKey;
    }

    private void apiKey(Exchange exchange, ClientProtocol protocol, String endpoint) {
        CallContext call = CallContext.open(exchange, protocol, endpoint);
        spans.open(call, exchange.getMessage());
        String secret = presentedKey(exchange.getMessage());
        if (secret == null) {
            throw GatewayError.unauthorized("Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        }
        ApiKey key = keys.find(secret).orElseThrow(() -> GatewayError.unauthorized("Incorrect API key provided."));
        if (!key.active()) throw GatewayError.unauthorized("This API key has been revoked.");
        if (key.limits().expired(java.time.Instant.now())) {
            throw new GatewayError(401, "invalid_request_error", "key_expired", null,
                    "This API key expired at " + key.limits().expiresAt() + ".", java.util.Map.of());
        }
        call.key = key;
        // what the extension-point routes may know of the caller; the secret itself leaves the message here
        exchange.setProperty("canaryKeyId", key.id());
        exchange.setProperty("canaryKeyName", key.name());
        exchange.setProperty("canaryEndpoint", endpoint);
        exchange.getMessage().removeHeader("Authorization");
        exchange.getMessage().removeHeader("x-api-key");
    }

    private void masterKey(Exchange exchange) {
        CallContext.open(exchange, ClientProtocol.GATEWAY, "admin");
        Message in = exchange.getMessage();
        String refusal = "The admin API needs the master key (CANARYLLM_MASTER_KEY).";
        // a key in either header, even a malformed one, is a guess; a call with none is not
        if (!presentsKey(in)) throw GatewayError.unauthorized(refusal);
        adminKey.check(presentedKey(in), remoteAddress(in), refusal);
    }

    /** Whether the request carries a key header at all ({@code Authorization}, {@code x-api-key}), well formed or not. */
    public static boolean presentsKey(Message in) {
        return requestHeader(in, "Authorization") != null || requestHeader(in, "x-api-key") != null;
    }

    static String presentedKey(Message in) {
        String auth = requestHeader(in, "Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String v = auth.substring(7).trim();
            if (!v.isEmpty()) return v;
        }
        String apiKey = requestHeader(in, "x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** The caller's address as the gateway sees it (behind a proxy, the proxy's); "unknown" off HTTP. */
    public static String remoteAddress(Message in) {
        Object a = in.getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (a instanceof SocketAddress s) return Optional.ofNullable(s.hostAddress()).orElse(s.toString());
        return a == null ? "unknown" : a.toString();
    }

    /**
     * A header as the caller sent it. platform-http also copies query parameters into the Camel headers, so reading
     * those would take a key from {@code ?x-api-key=...}, and a key in a URL lands in access logs and histories.
     * Off HTTP (a route test sending to a direct endpoint) the Camel headers are all there is.
     */
    public static String requestHeader(Message in, String name) {
        if (in instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http) {
            return http.getRequest().getHeader(name);
        }
        return in.getHeader(name, String.class);
    }
}
