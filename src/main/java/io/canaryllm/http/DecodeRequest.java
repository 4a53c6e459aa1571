package io.canaryllm.http;

import io.canaryllm.call.RequestBody;

import io.canaryllm.call.CallContext;
import io.canaryllm.call.Translation;
import io.canaryllm.validate.RequestReader;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.catalogue.ProviderWire;
import io.canaryllm.pool.Pools;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.ForeignThinking;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;


/**
 * Route step of the model endpoints: validates the request, resolves its model in the catalogue and prepares the
 * upstream body. When the provider speaks the caller's own protocol that is the caller's body with only
 * {@code model} rewritten to the provider's name for it (DESIGN section 2, same-wire passthrough); an Anthropic
 * body that holds thinking blocks the gateway signed for another vendor's answer loses them
 * ({@link ForeignThinking#withoutGatewayThinking}).
 */
public final class DecodeRequest implements Processor {
    /** Set by an operator's route before this step to send the call to another model. */
    public static final String MODEL_OVERRIDE = "canaryModelOverride";
    /** The model to call if this call's provider fails (routes read it; null when there is none). */
    public static final String FALLBACK = "canaryFallback";
    /** Set by the route when it switched to the fallback. */
    public static final String FALLBACK_TAKEN = "canaryFallbackTaken";
    private final boolean fallbacksEnabled = Boolean.parseBoolean(io.canaryllm.config.Settings.get("CANARYLLM_FALLBACKS", "true"));
    private final Catalogue catalogue;
    private final Pools pools;
    private final long maxBodyBytes;

    private final boolean forCounting;

    /** @param forCounting token counting: any provider is fine (others are estimated), never streamed */
    public DecodeRequest(Catalogue catalogue, Pools pools, long maxBodyBytes, boolean forCounting) {
        this.catalogue = catalogue;
        this.pools = pools;
        this.maxBodyBytes = maxBodyBytes;
        this.forCounting = forCounting;
    }

    @Override
    public void process(Exchange exchange) {
        RequestBody.requireJson(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE));
        byte[] body = RequestBody.bytes(exchange.getMessage().getBody());
        if (body.length > maxBodyBytes) throw GatewayError.tooLarge(maxBodyBytes);
        RequestReader.ChatRequest request = RequestReader.read(body, call(exchange).protocol, forCounting);
        // an extension-point route may have picked another model (routes/hook-before-upstream.camel.yaml)
        String override = exchange.getProperty(MODEL_OVERRIDE, String.class);
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        call.requestedModel = override != null ? override : request.model();
        Catalogue.Target target = catalogue.resolve(call.requestedModel);
        // the deployment of the model's pool: the one a failure moved the call to, else the pool's choice
        Deployment deployment = call.nextDeployment != null ? call.nextDeployment
                : pools.choose(target.model(), call.triedDeployments, true);
        call.nextDeployment = null;
        if (deployment != null) target = target.on(deployment);
        call.clientBody = body;
        call.responsesPassthrough = false;
        if (call.protocol == ClientProtocol.ANTHROPIC) {
            call.anthropicVersion = exchange.getMessage().getHeader("anthropic-version", String.class);
            call.anthropicBeta = exchange.getMessage().getHeader("anthropic-beta", String.class);
        }
        call.target = target;
        call.stream = request.stream() && !forCounting;
        ProviderWire wire = target.wire();
        if (wire.isMock() && call.protocol == ClientProtocol.RESPONSES) {
            // the mock speaks Chat and Anthropic; a Responses caller reaches it through the Chat translation
            call.upstreamBody = Translation.requestToUpstream(call, body, request.model(), target, Protocol.OPENAI_CHAT);
        } else if (wire.isMock() || (forCounting && !wire.speaks(call.protocol))) {
            call.upstreamBody = body;
        } else if (wire.speaks(call.protocol)) {
            byte[] upstreamBody = request.withModel(target.model().upstream());
            // thinking blocks the gateway signed for Gemini/OpenAI answers: Anthropic would reject the whole request
            // (a byte search; the body is only rewritten when one is there)
            if (call.protocol == ClientProtocol.ANTHROPIC) upstreamBody = ForeignThinking.withoutGatewayThinking(upstreamBody);
            call.upstreamBody = upstreamBody;
        } else if (call.protocol == ClientProtocol.RESPONSES && target.provider().responses() && !forCounting) {
            call.responsesPassthrough = true;
            call.upstreamBody = request.withModel(target.model().upstream());
        } else {
            call.upstreamBody = Translation.requestToUpstream(call, body, request.model(), target);
        }
        exchange.setProperty(CallContext.STREAM, call.stream);
        exchange.setProperty(CallContext.WIRE, wire.id());
        exchange.setProperty(CallContext.PROVIDER, target.provider().name());
        exchange.setProperty(CallContext.DEPLOYMENT, target.deployment().name());
        exchange.setProperty("canaryModel", target.model().id());
        // count_tokens: only Anthropic itself counts (Claude on Vertex is estimated like every other provider)
        exchange.setProperty("canaryCountsTokens", target.provider().wire().transport() == ProviderWire.Transport.HTTP
                && target.provider().wire().protocol() == Protocol.ANTHROPIC);
        // one fallback hop per call: the first listed, unless this already is the fallback
        boolean firstTry = !Boolean.TRUE.equals(exchange.getProperty(FALLBACK_TAKEN));
        exchange.setProperty(FALLBACK, fallbacksEnabled && firstTry && !target.model().fallbacks().isEmpty()
                ? target.model().fallbacks().get(0) : null);
    }


    private static CallContext call(Exchange exchange) { return exchange.getProperty(CallContext.PROPERTY, CallContext.class); }

}
