package io.canaryllm;

import io.canaryllm.admin.AdminDeployments;
import io.canaryllm.admin.AdminKeys;
import io.canaryllm.console.ConsoleAssets;
import io.canaryllm.console.ConsoleDoor;
import io.canaryllm.console.ConsoleHeaders;
import io.canaryllm.console.ConsoleSessions;
import io.canaryllm.http.Authenticate;
import io.canaryllm.auth.KeyCache;
import io.canaryllm.auth.KeyStore;
import io.canaryllm.auth.MasterKey;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.catalogue.CatalogueLoader;
import io.canaryllm.listing.ModelListings;
import io.canaryllm.catalogue.Deployment;
import io.canaryllm.catalogue.ProviderSpec;
import io.canaryllm.config.Settings;
import io.canaryllm.http.FrontDoor;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.http.ErrorResponder;
import io.canaryllm.http.Respond;
import io.canaryllm.http.SwitchToFallback;
import io.canaryllm.http.TranslateAnswer;
import io.canaryllm.ledger.UsageApi;
import io.canaryllm.ledger.UsageLedger;
import io.canaryllm.ledger.UsageLedgerWriter;
import io.canaryllm.ledger.UsageQueries;
import io.canaryllm.metering.Metering;
import io.canaryllm.limits.Counters;
import io.canaryllm.limits.Limits;
import io.canaryllm.limits.MemoryCounters;
import io.canaryllm.limits.RedisCounters;
import io.canaryllm.mock.MockEcho;
import io.canaryllm.ops.GatewayMetrics;
import io.canaryllm.ops.Health;
import io.canaryllm.ops.PrometheusScrape;
import io.canaryllm.relay.StreamRelay;
import io.canaryllm.responses.ResponseStore;
import io.canaryllm.responses.StoredResponses;
import io.canaryllm.store.Database;
import io.canaryllm.upstream.UpstreamCall;
import io.canaryllm.upstream.RetryPolicy;
import io.canaryllm.upstream.UpstreamWire;
import io.canaryllm.vertex.VertexTokens;
import io.canaryllm.anthropic.TokenEstimate;
import io.canaryllm.http.DecodeRequest;
import io.canaryllm.http.NextDeployment;
import io.canaryllm.pool.Pools;
import io.canaryllm.upstream.UpstreamClients;
import io.canaryllm.tracing.CallSpans;
import io.canaryllm.tracing.Tracing;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Wires the gateway around Camel Main: opens the store, loads the catalogue, binds the beans the YAML routes name,
 * instantiates one upstream route per provider from its wire's route template, and closes it all at the end.
 */
public final class Gateway extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private Database database;
    private UsageLedgerWriter ledgerWriter;
    private Counters counters;
    private UpstreamClients upstreams;
    private Catalogue catalogue;
    private Vertx vertx;
    private Tracing tracing;
    private long maxBodyBytes;
    private Optional<String> generatedMasterKey = Optional.empty();
    private Optional<String> firstApiKey = Optional.empty();

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Registry registry = context.getRegistry();
        maxBodyBytes = Settings.getLong("CANARYLLM_MAX_BODY_BYTES", 32L * 1024 * 1024);

        database = Database.open();
        KeyStore keyStore = new KeyStore(database.dataSource());
        MasterKey.Bootstrap master = MasterKey.load(keyStore);
        generatedMasterKey = master.generatedSecret();
        if (keyStore.count() == 0) firstApiKey = Optional.of(keyStore.create("default").secret());
        KeyCache keyCache = new KeyCache(keyStore);

        catalogue = CatalogueLoader.load(Path.of(Settings.get("CANARYLLM_CATALOGUE", "config/catalogue.yaml")));

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        // the name Camel's Micrometer components look for: Resilience4j breaker metrics land here too
        registry.bind("metricsRegistry", meters);
        GatewayMetrics metrics = new GatewayMetrics(meters);

        vertx = Workers.vertx();
        registry.bind("vertx", vertx);

        // traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; a no-op tracer otherwise
        tracing = Tracing.fromSettings();
        CallSpans spans = new CallSpans(tracing);
        upstreams = new UpstreamClients((int) Settings.getLong("CANARYLLM_UPSTREAM_MAX_CONNECTIONS", 16384),
                (int) Settings.getLong("CANARYLLM_UPSTREAM_MAX_QUEUED", 16384));
        Authenticate authenticate = new Authenticate(keyCache, master.key(), spans);
        ModelListings listings = new ModelListings(catalogue);
        // the usage ledger: Metering queues one row per model call; routes/usage-ledger.camel.yaml batches them in
        ledgerWriter = new UsageLedgerWriter(database.dataSource(), meters,
                (int) Settings.getLong("CANARYLLM_USAGE_BUFFER_ROWS", 100_000));
        UsageLedger ledger = new UsageLedger(context, meters, ledgerWriter::takeLate);
        UsageQueries usageQueries = new UsageQueries(database.dataSource());
        // per-key limits: counters in memory, or in Redis so that several replicas enforce one limit
        counters = Settings.get("CANARYLLM_REDIS_URL").filter(u -> !u.isBlank())
                .<Counters>map(RedisCounters::new).orElseGet(MemoryCounters::new);
        Limits limits = new Limits(counters, usageQueries::billedSince, meters, java.time.Clock.systemUTC());
        LOG.info("key limits counted in {}", limits.store());
        AdminKeys adminKeys = new AdminKeys(keyStore, keyCache, limits);
        UsageApi usageApi = new UsageApi(usageQueries, limits);
        Metering metering = new Metering(catalogue, metrics, ledger, limits, spans);
        StreamRelay relay = new StreamRelay(metering);
        Health health = new Health(database);

        registry.bind("authenticateChat", authenticate.apiKey(ClientProtocol.OPENAI_CHAT, "chat_completions"));
        registry.bind("authenticateModels", authenticate.apiKey(ClientProtocol.OPENAI_CHAT, "models"));
        registry.bind("authenticateMessages", authenticate.apiKey(ClientProtocol.ANTHROPIC, "messages"));
        registry.bind("authenticateResponses", authenticate.apiKey(ClientProtocol.RESPONSES, "responses"));
        registry.bind("authenticateCountTokens", authenticate.apiKey(ClientProtocol.ANTHROPIC, "count_tokens"));
        registry.bind("authenticateStoredResponses", authenticate.apiKey(ClientProtocol.RESPONSES, "stored_responses"));
        registry.bind("authenticateUsage", authenticate.apiKey(ClientProtocol.OPENAI_CHAT, "usage"));
        // the browser console (routes/console.camel.yaml): its session cookie stands in for the master key on /admin/*
        ConsoleSessions consoleSessions = new ConsoleSessions(java.time.Clock.systemUTC(),
                java.time.Duration.ofSeconds(Settings.getLong("CANARYLLM_CONSOLE_IDLE_SECONDS", 30 * 60)),
                java.time.Duration.ofSeconds(Settings.getLong("CANARYLLM_CONSOLE_MAX_SECONDS", 8 * 60 * 60)));
        ConsoleDoor consoleDoor = new ConsoleDoor(consoleSessions, master.key());
        ConsoleAssets consoleAssets = new ConsoleAssets();
        registry.bind("authenticateAdmin", consoleDoor.adminOr(authenticate.masterKey()));
        registry.bind("consoleSignIn", consoleDoor.signIn());
        registry.bind("consoleSession", consoleDoor.current());
        registry.bind("consoleSignOut", consoleDoor.signOut());
        registry.bind("consolePage", consoleAssets.page());
        registry.bind("consoleFile", consoleAssets.file());
        Pools pools = new Pools(catalogue, meters);
        registry.bind("adminDeployments", new AdminDeployments(catalogue, pools, meters).list());
        DecodeRequest decodeRequest = new DecodeRequest(catalogue, pools, maxBodyBytes, false);
        registry.bind("decodeRequest", decodeRequest);
        registry.bind("checkLimits", limits.check());
        registry.bind("checkModelAllowed", limits.checkModel());
        registry.bind("switchToFallback", new SwitchToFallback(decodeRequest, metrics, spans));
        registry.bind("decodeCountTokens", new DecodeRequest(catalogue, pools, maxBodyBytes, true));
        RetryPolicy retries = RetryPolicy.fromSettings();
        // a failed model call moves to another deployment of its pool, or tries the same again after a pause
        registry.bind("nextDeployment", new NextDeployment(decodeRequest, pools, retries, metrics, spans));
        // one upstream call for every provider reached over HTTP, whatever its wire (the descriptor decides); one
        // attempt each: retries are the pool's (nextDeployment)
        registry.bind("providerCall", new UpstreamCall(upstreams, metrics, pools, UpstreamWire.PROVIDER, RetryPolicy.NONE, spans));
        registry.bind("anthropicCountTokens", new UpstreamCall(upstreams, metrics, pools, UpstreamWire.ANTHROPIC_COUNT_TOKENS, retries, spans));
        registry.bind("vertexCall", new UpstreamCall(upstreams, metrics, pools, UpstreamWire.VERTEX, RetryPolicy.NONE,
                spans, new VertexTokens()));
        // AWS Bedrock: the Converse wire, signed with SigV4 over the final URL and body (io.canaryllm.aws)
        registry.bind("bedrockCall", new UpstreamCall(upstreams, metrics, pools, UpstreamWire.BEDROCK, RetryPolicy.NONE, spans));
        registry.bind("estimateTokens", new TokenEstimate());
        registry.bind("mockEcho", new MockEcho());
        StoredResponses storedResponses = new StoredResponses(new ResponseStore(database.dataSource(),
                java.time.Duration.ofDays(Settings.getLong("CANARYLLM_RESPONSE_RETENTION_DAYS", 30))), catalogue);
        registry.bind("translateAnswer", new TranslateAnswer(storedResponses));
        registry.bind("resolvePreviousResponse", storedResponses.resolvePrevious());
        registry.bind("getStoredResponse", storedResponses.get());
        registry.bind("deleteStoredResponse", storedResponses.delete());
        registry.bind("respond", new Respond(metering));
        registry.bind("errorResponse", new ErrorResponder(metering));
        registry.bind("streamStart", relay.start());
        registry.bind("streamWrite", relay.write());
        registry.bind("streamEnd", relay.end());
        registry.bind("publicModels", listings.publicModels());
        registry.bind("openAiModels", listings.openAiModels());
        registry.bind("createKey", adminKeys.create());
        registry.bind("listKeys", adminKeys.list());
        registry.bind("getKey", adminKeys.get());
        registry.bind("changeKey", adminKeys.change());
        registry.bind("revokeKey", adminKeys.revoke());
        registry.bind("adminBodyNotJson", adminKeys.notJson());
        registry.bind("usageRowsToBatch", ledgerWriter.collect());
        registry.bind("usageBatchInsert", ledgerWriter.insertBatch());
        registry.bind("usageLedgerRetry", ledgerWriter.retry());
        registry.bind("adminUsage", usageApi.rows());
        registry.bind("adminUsageSummary", usageApi.summary());
        registry.bind("ownUsage", usageApi.ownUsage());
        registry.bind("liveness", health.live());
        registry.bind("readiness", health.ready());
        registry.bind("prometheus", new PrometheusScrape(meters));
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        for (Deployment d : catalogue.deployments()) {
            ProviderSpec p = d.provider();
            String call = switch (p.wire().transport()) {
                case HTTP -> "providerCall";
                case VERTEX -> "vertexCall";
                case AWS -> "bedrockCall";
                case MOCK -> null;
            };
            if (call == null) continue;
            ProviderSpec.Breaker b = p.breaker();
            // one route per deployment from the template, so each has its own circuit breaker (a provider's own
            // deployment is named after it)
            TemplatedRouteBuilder.builder(context, "provider-upstream")
                    .routeId("upstream-" + d.name())
                    .prefixId(d.name() + "-")
                    .parameter("provider", d.name())
                    .parameter("call", call)
                    .parameter("slidingWindowSize", b.slidingWindowSize())
                    .parameter("minimumNumberOfCalls", b.minimumNumberOfCalls())
                    .parameter("failureRateThreshold", b.failureRateThreshold())
                    .parameter("waitSeconds", b.waitSeconds())
                    .add();
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(
                Integer.parseInt(context.resolvePropertyPlaceholders("{{camel.server.port}}"))));
        FrontDoor.install(router, maxBodyBytes);
        ConsoleHeaders.install(router);
        LOG.info("CanaryLLM ready: {} providers, {} models", catalogue.providers().size(), catalogue.models().size());
        // printed once, to the console only: secrets never go through the logger
        generatedMasterKey.ifPresent(k -> System.out.println("""

                  CanaryLLM admin (master) key, shown once: %s
                  Set CANARYLLM_MASTER_KEY to choose your own.""".formatted(k)));
        firstApiKey.ifPresent(k -> System.out.println("""

                  CanaryLLM API key "default", shown once: %s
                  Try: curl -s localhost:%s/v1/chat/completions -H 'Authorization: Bearer %s' \\
                         -H 'Content-Type: application/json' \\
                         -d '{"model":"mock/echo","messages":[{"role":"user","content":"hello canary"}]}'
                """.formatted(k, Settings.get("CANARYLLM_PORT", "8080"), k)));
        generatedMasterKey = Optional.empty();
        firstApiKey = Optional.empty();
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (upstreams != null) upstreams.close();
        // the ledger route has drained its queue by now (graceful shutdown); rows held for the store get a last try
        if (ledgerWriter != null) ledgerWriter.close();
        if (database != null) database.close();
        if (counters != null) counters.close();
        if (vertx != null) vertx.close();
        // last: the spans of the calls that ended during the shutdown go out too
        if (tracing != null) tracing.close();
        LOG.info("CanaryLLM stopped: usage ledger written, store closed{}",
                tracing != null && tracing.enabled() ? ", spans exported" : "");
    }
}
