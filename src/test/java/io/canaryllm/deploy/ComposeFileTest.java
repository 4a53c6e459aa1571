package io.canaryllm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Docker deployment without a Docker engine: docker-compose.yml parses, names the six services, and every
 * file it, the Dockerfile, Prometheus and Grafana provisioning refer to exists in the repository; Prometheus
 * scrapes the gateway's /metrics; the gateway's traces go to Jaeger's OTLP port; the dashboard's PromQL names only metrics the gateway exports (or issue 7
 * names); .env.example documents every variable the compose file uses. {@code deploy/image-build.sh} (the image's
 * build and runtime steps as a script) runs only with CANARYLLM_IMAGE_BUILD_TEST=1.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("gateway", "postgres", "redis", "prometheus", "grafana", "jaeger");

    /** Micrometer meters in src/main/java, by the Prometheus series they produce. */
    private static final Map<String, List<String>> EXPORTED = Map.ofEntries(
            Map.entry("canaryllm.requests", timerSeries("canaryllm_requests")),
            Map.entry("canaryllm.upstream.first.byte", timerSeries("canaryllm_upstream_first_byte")),
            Map.entry("canaryllm.time.to.first.token", timerSeries("canaryllm_time_to_first_token")),
            Map.entry("canaryllm.active.streams", List.of("canaryllm_active_streams")),
            Map.entry("canaryllm.upstream.retries", List.of("canaryllm_upstream_retries_total")),
            Map.entry("canaryllm.fallbacks", List.of("canaryllm_fallbacks_total")),
            Map.entry("canaryllm.limit.rejections", List.of("canaryllm_limit_rejections_total")),
            Map.entry("canaryllm.limit.store.errors", List.of("canaryllm_limit_store_errors_total")),
            Map.entry("canaryllm.usage.queue.depth", List.of("canaryllm_usage_queue_depth")),
            Map.entry("canaryllm.usage.rows.buffered", List.of("canaryllm_usage_rows_buffered")),
            Map.entry("canaryllm.usage.rows.dropped", List.of("canaryllm_usage_rows_dropped_total")),
            Map.entry("canaryllm.deployment.calls", List.of("canaryllm_deployment_calls_total")),
            Map.entry("canaryllm.deployment.moves", List.of("canaryllm_deployment_moves_total")),
            Map.entry("canaryllm.deployment.in.flight", List.of("canaryllm_deployment_in_flight")),
            Map.entry("canaryllm.deployment.cooling", List.of("canaryllm_deployment_cooling")),
            Map.entry("canaryllm.deployment.first.byte.ewma.seconds", List.of("canaryllm_deployment_first_byte_ewma_seconds")),
            Map.entry("canaryllm.deployment.cooldowns", List.of("canaryllm_deployment_cooldowns_total")));
    /** From camel-resilience4j-micrometer (one breaker per provider). */
    private static final Set<String> RESILIENCE4J = Set.of("resilience4j_circuitbreaker_state");
    /** Issue 7 item 5 names them (tokens by type, cost, by model and key); the dashboard may show them before
     * the gateway registers them. */
    private static final Set<String> ISSUE_7 = Set.of("canaryllm_tokens_total", "canaryllm_cost_usd_total");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> timerSeries(String base) {
        return List.of(base + "_seconds_bucket", base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max");
    }

    private static String read(String relative) throws IOException {
        Path p = ROOT.resolve(relative);
        assertTrue(Files.isRegularFile(p), relative + " exists");
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String relative) throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(read(relative));
        assertTrue(doc instanceof Map, relative + " is a YAML mapping");
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map, what + " is a mapping, was " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) {
        assertTrue(o instanceof List, what + " is a list, was " + o);
        return (List<Object>) o;
    }

    private static Map<String, Object> compose() throws IOException { return yaml("docker-compose.yml"); }

    private static Map<String, Object> service(String name) throws IOException {
        return map(map(compose().get("services"), "services").get(name), "service " + name);
    }

    /** A compose value with ${VAR:-default} / ${VAR-default} / ${VAR} resolved to its default (or ""). */
    private static String withDefaults(String value) {
        return value.replace("$$", "\u0000")
                .replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?]([^}]*))?}", "$1")
                .replace("\u0000", "$");
    }

    private record Mount(String source, String target) {}

    private static List<Mount> mounts(Map<String, Object> service) {
        List<Mount> out = new ArrayList<>();
        for (Object v : (List<?>) service.getOrDefault("volumes", List.of())) {
            if (v instanceof String s) {
                String[] parts = s.split(":");
                out.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0]));
            } else {
                Map<String, Object> m = map(v, "volume");
                out.add(new Mount(String.valueOf(m.get("source")), String.valueOf(m.get("target"))));
            }
        }
        return out;
    }

    /** The repository path a container path of {@code service} comes from through a bind mount. */
    private static Optional<Path> hostPath(Map<String, Object> service, String containerPath) {
        Mount best = null;
        for (Mount m : mounts(service)) {
            if (!m.source().startsWith(".")) continue;
            if ((containerPath.equals(m.target()) || containerPath.startsWith(m.target() + "/"))
                    && (best == null || m.target().length() > best.target().length())) best = m;
        }
        if (best == null) return Optional.empty();
        return Optional.of(ROOT.resolve(best.source()).resolve("." + containerPath.substring(best.target().length()))
                .normalize());
    }

    @Test
    void composeNamesTheSixServicesWithTheirImagesAndWiring() throws IOException {
        Map<String, Object> services = map(compose().get("services"), "services");
        assertEquals(new TreeSet<>(SERVICES), new TreeSet<>(services.keySet()));
        assertTrue(String.valueOf(service("postgres").get("image")).startsWith("postgres:16"));
        assertTrue(String.valueOf(service("redis").get("image")).startsWith("redis:7"));
        assertNotNull(service("postgres").get("healthcheck"), "postgres healthcheck");
        assertNotNull(service("redis").get("healthcheck"), "redis healthcheck");

        Map<String, Object> gateway = service("gateway");
        Map<String, Object> env = map(gateway.get("environment"), "gateway environment");
        assertEquals("jdbc:postgresql://postgres:5432/canaryllm", withDefaults(String.valueOf(env.get("CANARYLLM_DB_URL"))));
        assertFalse(withDefaults(String.valueOf(env.get("CANARYLLM_DB_USER"))).isBlank());
        assertFalse(withDefaults(String.valueOf(env.get("CANARYLLM_DB_PASSWORD"))).isBlank());
        assertEquals("redis://redis:6379", withDefaults(String.valueOf(env.get("CANARYLLM_REDIS_URL"))));
        assertEquals("/data", env.get("CANARYLLM_DATA_DIR"));
        assertTrue(mounts(gateway).stream().anyMatch(m -> m.target().equals("/data")), "the data dir is a volume");
        Map<String, Object> dependsOn = map(gateway.get("depends_on"), "gateway depends_on");
        for (String dep : List.of("postgres", "redis")) {
            assertEquals("service_healthy", map(dependsOn.get(dep), dep).get("condition"), "gateway waits for " + dep);
        }
        // the same user and password on both sides
        Map<String, Object> pg = map(service("postgres").get("environment"), "postgres environment");
        assertEquals(env.get("CANARYLLM_DB_USER"), pg.get("POSTGRES_USER"));
        assertEquals(env.get("CANARYLLM_DB_PASSWORD"), pg.get("POSTGRES_PASSWORD"));
        assertEquals("canaryllm", pg.get("POSTGRES_DB"));
    }

    @Test
    void everyFileTheComposeFileAndTheDockerfileReferToExists() throws IOException {
        Map<String, Object> compose = compose();
        Set<String> namedVolumes = compose.get("volumes") == null ? Set.of()
                : map(compose.get("volumes"), "volumes").keySet();
        for (String name : SERVICES) {
            Map<String, Object> s = service(name);
            for (Mount m : mounts(s)) {
                if (m.source().startsWith(".") || m.source().startsWith("/")) {
                    assertTrue(Files.exists(ROOT.resolve(m.source()).normalize()), name + " mounts " + m.source());
                } else {
                    assertTrue(namedVolumes.contains(m.source()), name + " uses undeclared volume " + m.source());
                }
            }
            Object build = s.get("build");
            if (build != null) {
                Map<String, Object> b = build instanceof String ctx ? Map.of("context", ctx) : map(build, "build");
                Path context = ROOT.resolve(String.valueOf(b.get("context"))).normalize();
                assertTrue(Files.isDirectory(context), name + " build context");
                assertTrue(Files.isRegularFile(context.resolve(String.valueOf(b.getOrDefault("dockerfile", "Dockerfile")))));
            }
            for (Object e : (List<?>) s.getOrDefault("env_file", List.of())) {
                if (e instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("required"))) continue;
                String path = e instanceof Map<?, ?> m ? String.valueOf(m.get("path")) : String.valueOf(e);
                assertTrue(Files.exists(ROOT.resolve(path)), name + " env_file " + path + " (or mark it required: false)");
            }
        }
        // Grafana's home dashboard is a provisioned file
        Map<String, Object> grafana = service("grafana");
        Object home = map(grafana.get("environment"), "grafana environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        if (home != null) {
            assertTrue(hostPath(grafana, String.valueOf(home)).map(Files::isRegularFile).orElse(false), "home dashboard " + home);
        }

        String dockerfile = read("Dockerfile");
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)$").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            String[] words = copy.group(1).trim().split("\\s+");
            for (int i = 0; i < words.length - 1; i++) {
                if (words[i].startsWith("--")) continue;
                assertTrue(Files.exists(ROOT.resolve(words[i])), "Dockerfile copies " + words[i]);
                copies++;
            }
        }
        assertTrue(copies >= 5, "the Dockerfile copies pom.xml, src, config, routes, examples");
        for (String line : List.of("EXPOSE 8080", "HEALTHCHECK", "VOLUME [\"/data\"]", "CANARYLLM_DATA_DIR=/data",
                "-XX:+UseSerialGC -Xms128m -Xmx512m -Xmn64m -XX:TrimNativeHeapInterval=2000", "mvn -B -q package -DskipTests", "WORKDIR /app",
                "-XX:AOTCacheOutput=/app/canaryllm.aot", "io.canaryllm.AotTraining check", "-XX:AOTCache=/app/canaryllm.aot")) {
            assertTrue(dockerfile.contains(line), "Dockerfile: " + line);
        }
        // the image runs with the JVM options bin/canaryllm uses (the AOT cache is only valid for the options it was made with)
        Matcher binOpts = Pattern.compile("CANARYLLM_JAVA_OPTS:-([^}]+)}").matcher(read("bin/canaryllm"));
        assertTrue(binOpts.find(), "bin/canaryllm's default JVM options");
        assertTrue(dockerfile.contains("CANARYLLM_JAVA_OPTS=\"" + binOpts.group(1) + "\""), "Dockerfile ENV = " + binOpts.group(1));
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        String lastUser = null;
        while (user.find()) lastUser = user.group(1);
        assertNotNull(lastUser, "the runtime stage sets USER");
        assertFalse(lastUser.startsWith("root") || lastUser.startsWith("0"), "non-root user, was " + lastUser);

        Set<String> ignored = new LinkedHashSet<>(read(".dockerignore").lines().map(String::trim).toList());
        for (String entry : List.of("target", "data", ".git", ".env")) {
            assertTrue(ignored.contains(entry), ".dockerignore lists " + entry);
        }
        assertTrue(Files.isExecutable(ROOT.resolve("deploy/healthcheck.sh")));
        assertTrue(Files.isExecutable(ROOT.resolve("deploy/image-build.sh")));
    }

    @Test
    void theGatewaysTracesGoToJaegersOtlpHttpPort() throws IOException {
        Map<String, Object> jaeger = service("jaeger");
        assertTrue(String.valueOf(jaeger.get("image")).startsWith("jaegertracing/jaeger:2."), "Jaeger v2: " + jaeger.get("image"));
        Map<String, Object> env = map(service("gateway").get("environment"), "gateway environment");
        // OTLP/HTTP (4318): the exporter's only protocol here (README "Traces"); the gateway adds /v1/traces
        assertEquals("http://jaeger:4318", withDefaults(String.valueOf(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))));
        assertEquals("canaryllm", withDefaults(String.valueOf(env.get("OTEL_SERVICE_NAME"))));
        // the UI on the host's loopback only, like Prometheus and Grafana; OTLP is not published at all
        List<Object> ports = list(jaeger.get("ports"), "jaeger ports");
        assertEquals(1, ports.size(), ports.toString());
        String ui = withDefaults(String.valueOf(ports.get(0)));
        assertTrue(ui.startsWith("127.0.0.1:") && ui.endsWith(":16686"), ui);
        // traces must never hold the gateway up: it does not wait for the backend
        Object dependsOn = service("gateway").get("depends_on");
        assertFalse(dependsOn instanceof Map<?, ?> m && m.containsKey("jaeger"), "gateway does not depend on jaeger");
    }

    @Test
    void prometheusScrapesTheGatewaysMetricsOnItsPort() throws IOException {
        Map<String, Object> prometheus = service("prometheus");
        String configFlag = list(prometheus.get("command"), "prometheus command").stream().map(String::valueOf)
                .filter(a -> a.startsWith("--config.file=")).findFirst().orElse("--config.file=/etc/prometheus/prometheus.yml");
        Path config = hostPath(prometheus, configFlag.substring("--config.file=".length()))
                .orElseThrow(() -> new AssertionError("the Prometheus config is not mounted from the repository"));
        assertEquals(ROOT.resolve("deploy/prometheus/prometheus.yml"), config);

        // the port the gateway listens on inside the network: CANARYLLM_PORT, the container side of its mapping
        Map<String, Object> gateway = service("gateway");
        String port = String.valueOf(map(gateway.get("environment"), "gateway environment").get("CANARYLLM_PORT"));
        String mapping = withDefaults(String.valueOf(list(gateway.get("ports"), "gateway ports").get(0)));
        assertTrue(mapping.endsWith(":" + port), "gateway publishes its container port " + port + ": " + mapping);
        assertTrue(read("Dockerfile").contains("EXPOSE " + port));

        boolean found = false;
        for (Object job : list(yaml("deploy/prometheus/prometheus.yml").get("scrape_configs"), "scrape_configs")) {
            Map<String, Object> j = map(job, "scrape job");
            String path = String.valueOf(j.getOrDefault("metrics_path", "/metrics"));
            for (Object sc : list(j.get("static_configs"), "static_configs")) {
                for (Object target : list(map(sc, "static config").get("targets"), "targets")) {
                    if (target.equals("gateway:" + port) && path.equals("/metrics")) found = true;
                }
            }
        }
        assertTrue(found, "a scrape job for gateway:" + port + "/metrics");
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboard() throws IOException {
        Map<String, Object> grafana = service("grafana");
        Path provisioning = hostPath(grafana, "/etc/grafana/provisioning")
                .orElseThrow(() -> new AssertionError("/etc/grafana/provisioning is not mounted from the repository"));
        assertEquals(ROOT.resolve("deploy/grafana/provisioning"), provisioning);

        Map<String, Object> ds = yaml("deploy/grafana/provisioning/datasources/prometheus.yml");
        Map<String, Object> prom = map(list(ds.get("datasources"), "datasources").get(0), "datasource");
        assertEquals("prometheus", prom.get("type"));
        assertEquals("http://prometheus:9090", prom.get("url"), "the compose prometheus service");
        String uid = String.valueOf(prom.get("uid"));

        Map<String, Object> providers = yaml("deploy/grafana/provisioning/dashboards/canaryllm.yml");
        Map<String, Object> provider = map(list(providers.get("providers"), "providers").get(0), "dashboard provider");
        String containerDir = String.valueOf(map(provider.get("options"), "options").get("path"));
        Path dir = hostPath(grafana, containerDir)
                .orElseThrow(() -> new AssertionError(containerDir + " is not mounted from the repository"));
        assertTrue(Files.isRegularFile(dir.resolve("canaryllm.json")), "the dashboard is in " + dir);

        JsonNode dashboard = JSON.readTree(read("deploy/grafana/dashboards/canaryllm.json"));
        for (JsonNode panel : panels(dashboard)) {
            JsonNode pds = panel.path("datasource");
            if (!pds.isMissingNode()) assertEquals(uid, pds.path("uid").asText(), "datasource of " + panel.path("title"));
        }
    }

    @Test
    void everyDashboardQueryNamesAnExportedOrIssueNamedMetric() throws IOException {
        Set<String> known = new TreeSet<>(RESILIENCE4J);
        known.addAll(ISSUE_7);
        String sources = mainSources();
        EXPORTED.forEach((meter, series) -> {
            assertTrue(sources.contains('"' + meter + '"'), "src/main/java registers " + meter);
            known.addAll(series);
        });

        JsonNode dashboard = JSON.readTree(read("deploy/grafana/dashboards/canaryllm.json"));
        assertEquals("canaryllm", dashboard.path("uid").asText());
        Set<String> used = new TreeSet<>();
        StringBuilder all = new StringBuilder();
        int queries = 0;
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertFalse(expr.isBlank(), "panel " + panel.path("title") + " has a query");
                Set<String> names = metricNames(expr);
                assertFalse(names.isEmpty(), "no metric in " + expr);
                for (String n : names) assertTrue(known.contains(n), "panel " + panel.path("title") + ": unknown metric " + n);
                used.addAll(names);
                all.append(expr).append('\n');
                queries++;
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String q = variable.path("definition").asText();
            Matcher m = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)").matcher(q);
            if (m.find()) assertTrue(known.contains(m.group(1)), "variable " + variable.path("name") + ": " + m.group(1));
        }
        assertTrue(queries >= 10, "queries: " + queries);
        // what issue 7 asks the dashboard to show
        for (String m : List.of("canaryllm_requests_seconds_count", "canaryllm_requests_seconds_bucket",
                "canaryllm_upstream_first_byte_seconds_bucket", "canaryllm_time_to_first_token_seconds_bucket",
                "canaryllm_tokens_total", "canaryllm_cost_usd_total", "resilience4j_circuitbreaker_state")) {
            assertTrue(used.contains(m), "the dashboard shows " + m);
        }
        String text = all.toString();
        assertTrue(text.contains("histogram_quantile(0.50") && text.contains("histogram_quantile(0.95"), "p50 and p95");
        // issue 14: a per-deployment row
        for (String m : List.of("canaryllm_deployment_calls_total", "canaryllm_deployment_in_flight",
                "canaryllm_deployment_first_byte_ewma_seconds", "canaryllm_deployment_cooling", "canaryllm_deployment_moves_total")) {
            assertTrue(used.contains(m), "the dashboard shows " + m);
        }
        for (String by : List.of("by (model)", "by (key)", "by (model, type)", "by (key, type)", "by (deployment, outcome)")) {
            assertTrue(text.contains(by), "grouped " + by);
        }
    }

    @Test
    void theMetricNameExtractorSeesThroughPromQl() {
        assertEquals(Set.of("a_total", "b_seconds_bucket"), metricNames(
                "histogram_quantile(0.95, sum by (le, model) (rate(b_seconds_bucket{model=~\"$model\",x=\"y{z}\"}[$__rate_interval])))"
                        + " / on (model) group_left sum without (key) (increase(a_total[5m] offset 1h)) or vector(0)"));
    }

    @Test
    void envExampleDocumentsEveryVariableTheComposeFileUses() throws IOException {
        String compose = read("docker-compose.yml").replace("$$", "");
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(compose);
        while (m.find()) used.add(m.group(1));
        Matcher bare = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(compose);
        while (bare.find()) used.add(bare.group(1));
        assertFalse(used.isEmpty());

        Set<String> documented = new TreeSet<>();
        for (String line : read(".env.example").lines().toList()) {
            Matcher kv = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=").matcher(line.trim());
            if (kv.find()) documented.add(kv.group(1));
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), ".env.example lacks " + missing);
        // and what the brief lists: master key, every provider's key and base URL, Vertex, DB, Redis, port
        for (String p : List.of("OPENAI", "AZURE", "ANTHROPIC", "GEMINI", "XAI", "PERPLEXITY", "LMSTUDIO", "OLLAMA")) {
            assertTrue(documented.contains("CANARYLLM_" + p + "_API_KEY"), p + " key");
            assertTrue(documented.contains("CANARYLLM_" + p + "_BASE_URL"), p + " base URL");
        }
        for (String v : List.of("CANARYLLM_MASTER_KEY", "CANARYLLM_VERTEX_CREDENTIALS", "CANARYLLM_VERTEX_PROJECT",
                "CANARYLLM_VERTEX_LOCATION", "CANARYLLM_DB_URL", "CANARYLLM_DB_USER", "CANARYLLM_DB_PASSWORD",
                "CANARYLLM_REDIS_URL", "CANARYLLM_PORT")) {
            assertTrue(documented.contains(v), ".env.example lists " + v);
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CANARYLLM_IMAGE_BUILD_TEST", matches = "1")
    void theImagesBuildAndRuntimeStepsRunAsAScript() throws Exception {
        Process p = new ProcessBuilder("bash", ROOT.resolve("deploy/image-build.sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("image-build.sh did not finish in 15 minutes\n" + out);
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("image-build: OK"), out);
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode nested : p.path("panels")) out.add(nested);   // collapsed rows keep their panels inside
        }
        return out;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");

    /** The metric names a PromQL expression selects: identifiers left once strings, label matchers, ranges,
     * grouping label lists, function calls and keywords are set aside. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)(?![A-Za-z0-9_:])(?!\\s*\\()").matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group(1).toLowerCase())) out.add(m.group(1));
        }
        return out;
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }
}
