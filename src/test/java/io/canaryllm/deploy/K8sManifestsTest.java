package io.canaryllm.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests without a cluster: {@code kubectl kustomize} renders deploy/k8s/base and the example
 * overlay, and the objects are checked against the image (Dockerfile), config/ and routes/: the kinds and names, a
 * Deployment of 3 with probes on /health and /ready at the gateway's port, resources, a grace period above the
 * gateway's shutdown timeout with a preStop pause, ConfigMaps holding exactly config/ and routes/ mounted where the
 * image reads them, the environment from the values and the Secret, and selectors that match. Without kubectl the
 * tests are skipped (under CI=true they fail: .ci/run installs kubectl).
 */
class K8sManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().normalize();
    private static final String BASE = "deploy/k8s/base";
    private static final String OVERLAY = "deploy/k8s/overlays/example";
    /** kustomize's generated names: the name, a dash, ten characters of the content's hash. */
    private static final Pattern HASHED = Pattern.compile("(.+)-[a-z0-9]{10}");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new HashMap<>();

    // ---- rendering ----

    private static Optional<Path> kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Path requireKubectl() {
        Optional<Path> k = kubectl();
        if (k.isEmpty()) {
            String why = "kubectl is not on the PATH: the Kubernetes manifests (deploy/k8s) are not rendered";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true, so this may not be skipped: " + why + " (.ci/run installs kubectl)");
            Assumptions.abort(why);
        }
        return k.get();
    }

    /** {@code kubectl kustomize DIR}, run in {@code root}, as its YAML documents. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(Path root, String dir) throws Exception {
        Process p = new ProcessBuilder(requireKubectl().toString(), "kustomize", dir).directory(root.toFile()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try (var in = p.getErrorStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl kustomize " + dir + " did not finish in 60 s");
        }
        String stderr = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " (kubectl 1.21 or newer: an older kustomize takes no folder"
                + " as a resource):\n" + stderr);
        assertFalse(stderr.toLowerCase().contains("warning") || out.contains("# Warning"),
                "kubectl kustomize " + dir + " warns (a deprecated field?):\n" + stderr);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(out)) {
            if (doc != null) docs.add(map(doc, "a rendered document"));
        }
        assertFalse(docs.isEmpty(), "kubectl kustomize " + dir + " rendered nothing");
        return docs;
    }

    private static synchronized List<Map<String, Object>> rendered(String dir) throws Exception {
        List<Map<String, Object>> docs = RENDERED.get(dir);
        if (docs == null) {
            docs = render(ROOT, dir);
            RENDERED.put(dir, docs);
        }
        return docs;
    }

    // ---- YAML access ----

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

    /** The value at a dotted path of mappings ({@code spec.template.spec}). */
    private static Object at(Map<String, Object> m, String path) {
        Object cur = m;
        for (String key : path.split("\\.")) {
            cur = map(cur, path + " (at " + key + ")").get(key);
            if (cur == null) return null;
        }
        return cur;
    }

    private static Map<String, Object> mapAt(Map<String, Object> m, String path) { return map(at(m, path), path); }

    private static String name(Map<String, Object> doc) { return String.valueOf(at(doc, "metadata.name")); }

    private static String kind(Map<String, Object> doc) { return String.valueOf(doc.get("kind")); }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(kind(d))).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = ofKind(docs, kind).stream().filter(d -> name.equals(name(d))).toList();
        assertEquals(1, found.size(), "one " + kind + " " + name + " in " + names(docs));
        return found.get(0);
    }

    /** A generated ConfigMap by the name it was generated under (without its hash suffix). */
    private static Map<String, Object> generated(List<Map<String, Object>> docs, String base) {
        List<Map<String, Object>> found = ofKind(docs, "ConfigMap").stream().filter(d -> {
            Matcher m = HASHED.matcher(name(d));
            return m.matches() && m.group(1).equals(base);
        }).toList();
        assertEquals(1, found.size(), "one ConfigMap " + base + "-<hash> in " + names(docs));
        return found.get(0);
    }

    private static Map<String, String> data(Map<String, Object> configMap) {
        Map<String, String> out = new TreeMap<>();
        map(configMap.getOrDefault("data", Map.of()), "data of " + name(configMap))
                .forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static Set<String> names(List<Map<String, Object>> docs) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> d : docs) out.add(kind(d) + "/" + name(d));
        return out;
    }

    private static Map<String, Object> deployment(List<Map<String, Object>> docs) { return one(docs, "Deployment", "canaryllm"); }

    private static Map<String, Object> podSpec(List<Map<String, Object>> docs) { return mapAt(deployment(docs), "spec.template.spec"); }

    private static Map<String, Object> gateway(List<Map<String, Object>> docs) {
        List<Object> containers = list(podSpec(docs).get("containers"), "containers");
        assertEquals(1, containers.size(), "one container");
        Map<String, Object> c = map(containers.get(0), "container");
        assertEquals("gateway", c.get("name"));
        return c;
    }

    private static String mountPath(List<Map<String, Object>> docs, String configMap) {
        String volume = null;
        for (Object v : list(podSpec(docs).get("volumes"), "volumes")) {
            Map<String, Object> vol = map(v, "volume");
            if (vol.get("configMap") != null && configMap.equals(at(vol, "configMap.name"))) volume = String.valueOf(vol.get("name"));
        }
        assertNotNull(volume, "a volume of ConfigMap " + configMap);
        for (Object m : list(gateway(docs).get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> mount = map(m, "volumeMount");
            if (volume.equals(mount.get("name"))) {
                assertEquals(Boolean.TRUE, mount.get("readOnly"), configMap + " is mounted read-only");
                assertTrue(mount.get("subPath") == null, configMap + " is mounted whole (a subPath never sees an update)");
                return String.valueOf(mount.get("mountPath"));
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted in the gateway container");
    }

    /** The container port a probe or Service port names: a number, or a port name of the gateway container. */
    private static int containerPort(List<Map<String, Object>> docs, Object port) {
        if (port instanceof Integer i) return i;
        for (Object p : list(gateway(docs).get("ports"), "ports")) {
            Map<String, Object> cp = map(p, "port");
            if (String.valueOf(port).equals(cp.get("name"))) return (Integer) cp.get("containerPort");
        }
        throw new AssertionError("no container port named " + port);
    }

    private static Map<String, String> env(List<Map<String, Object>> docs) {
        Map<String, String> out = new TreeMap<>();
        for (Object e : list(gateway(docs).getOrDefault("env", List.of()), "env")) {
            Map<String, Object> var = map(e, "env var");
            out.put(String.valueOf(var.get("name")), var.get("value") == null ? null : String.valueOf(var.get("value")));
        }
        return out;
    }

    /** envFrom as kind:name in order, e.g. configMapRef:canaryllm-values-abc, secretRef:canaryllm-keys. */
    private static List<String> envFrom(List<Map<String, Object>> docs) {
        List<String> out = new ArrayList<>();
        for (Object e : list(gateway(docs).get("envFrom"), "envFrom")) {
            Map<String, Object> src = map(e, "envFrom source");
            for (String ref : List.of("configMapRef", "secretRef")) {
                if (src.get(ref) != null) out.add(ref + ":" + at(src, ref + ".name"));
            }
        }
        return out;
    }

    // ---- the repository's side ----

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
    }

    /** The files of a folder, by name, as the ConfigMap made of it should hold them. */
    private static Map<String, String> folder(String dir, String glob) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.newDirectoryStream(ROOT.resolve(dir), glob)) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals("kustomization.yaml")) {
                    out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        assertFalse(out.isEmpty(), dir + " has files");
        return out;
    }

    /** The arguments of the Dockerfile's last {@code instruction} (the runtime stage's). */
    private static String dockerfile(String instruction) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(.+)$").matcher(read("Dockerfile"));
        String last = null;
        while (m.find()) last = m.group(1).trim();
        assertNotNull(last, "the Dockerfile has " + instruction);
        return last;
    }

    /** A {@code {{env:NAME:default}}} default of config/application.properties. */
    private static String propertyDefault(String env) throws IOException {
        Matcher m = Pattern.compile("\\{\\{env:" + env + ":([^}]*)}}").matcher(read("config/application.properties"));
        assertTrue(m.find(), "config/application.properties reads " + env);
        return m.group(1);
    }

    private static Map<String, String> envFile(String relative) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : read(relative).lines().map(String::trim).toList()) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            assertTrue(eq > 0, relative + ": NAME=value, was " + line);
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    // ---- the tests ----

    @Test
    void theBaseRendersTheGatewaysObjectsAndNoSecret() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        Set<String> kinds = new TreeSet<>();
        for (Map<String, Object> d : docs) kinds.add(kind(d));
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service")), kinds);
        assertEquals("apps/v1", deployment(docs).get("apiVersion"));
        assertEquals("v1", one(docs, "Service", "canaryllm").get("apiVersion"));
        assertEquals("autoscaling/v2", one(docs, "HorizontalPodAutoscaler", "canaryllm").get("apiVersion"));
        assertEquals("policy/v1", one(docs, "PodDisruptionBudget", "canaryllm").get("apiVersion"));
        for (String cm : List.of("canaryllm-config", "canaryllm-routes", "canaryllm-values")) generated(docs, cm);
        assertEquals(3, ofKind(docs, "ConfigMap").size(), "ConfigMaps: " + names(docs));

        // the Secret is the operator's: an example only, never rendered (applying must not overwrite real keys)
        Map<String, Object> example = map(new Load(LoadSettings.builder().build())
                .loadFromString(read(BASE + "/secret.example.yaml")), "secret.example.yaml");
        assertEquals("Secret", kind(example));
        assertEquals("canaryllm-keys", name(example));
        Set<String> keys = mapAt(example, "stringData").keySet();
        for (String k : List.of("CANARYLLM_MASTER_KEY", "CANARYLLM_DB_PASSWORD", "CANARYLLM_OPENAI_API_KEY", "CANARYLLM_ANTHROPIC_API_KEY")) {
            assertTrue(keys.contains(k), "secret.example.yaml shows " + k);
        }
        String kustomization = read(BASE + "/kustomization.yaml");
        assertFalse(kustomization.lines().anyMatch(l -> l.matches("\\s*-\\s*secret\\.example\\.yaml\\s*")), "the example Secret is not a resource");
    }

    @Test
    void threeReplicasWithProbesOnHealthAndReadyAtTheGatewaysPort() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        Map<String, Object> dep = deployment(docs);
        assertEquals(3, at(dep, "spec.replicas"));
        assertEquals("RollingUpdate", at(dep, "spec.strategy.type"));
        assertEquals(0, at(dep, "spec.strategy.rollingUpdate.maxUnavailable"), "a rollout never removes a ready pod first");

        int port = Integer.parseInt(propertyDefault("CANARYLLM_PORT"));
        assertEquals(8080, port);
        assertTrue(read("Dockerfile").contains("EXPOSE " + port));
        assertEquals(String.valueOf(port), env(docs).get("CANARYLLM_PORT"), "the port is pinned in the Deployment");
        Map<String, Object> c = gateway(docs);
        assertEquals(port, containerPort(docs, "http"));
        Map<String, String> probes = Map.of("livenessProbe", "/health", "readinessProbe", "/ready", "startupProbe", "/health");
        probes.forEach((probe, path) -> {
            Map<String, Object> p = mapAt(c, probe);
            assertEquals(path, at(p, "httpGet.path"), probe);
            assertEquals(port, containerPort(docs, at(p, "httpGet.port")), probe + " port");
        });
        assertTrue(routeServes("ops.camel.yaml", "/health") && routeServes("ops.camel.yaml", "/ready"),
                "routes/ops.camel.yaml serves /health and /ready");

        Map<String, Object> resources = mapAt(c, "resources");
        for (String side : List.of("requests", "limits")) {
            for (String r : List.of("cpu", "memory")) assertNotNull(at(resources, side + "." + r), "resources." + side + "." + r);
        }
        assertTrue(mebibytes(at(resources, "requests.memory")) <= mebibytes(at(resources, "limits.memory")));
        assertTrue(millicores(at(resources, "requests.cpu")) <= millicores(at(resources, "limits.cpu")));
        // the JVM's heap ceiling (the image's -Xmx) fits the memory limit with room for what is not heap
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(read("Dockerfile"));
        assertTrue(xmx.find(), "the image sets -Xmx");
        assertTrue(Integer.parseInt(xmx.group(1)) * 3 / 2 <= mebibytes(at(resources, "limits.memory")),
                "memory limit " + at(resources, "limits.memory") + " leaves room above -Xmx" + xmx.group(1) + "m");

        Map<String, Object> annotations = mapAt(dep, "spec.template.metadata.annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(port), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
    }

    private static boolean routeServes(String file, String path) throws IOException {
        return read("routes/" + file).contains("uri: platform-http:" + path + "\n");
    }

    private static int mebibytes(Object quantity) {
        String q = String.valueOf(quantity);
        if (q.endsWith("Gi")) return Integer.parseInt(q.substring(0, q.length() - 2)) * 1024;
        if (q.endsWith("Mi")) return Integer.parseInt(q.substring(0, q.length() - 2));
        throw new AssertionError("a memory quantity in Mi or Gi, was " + q);
    }

    private static int millicores(Object quantity) {
        String q = String.valueOf(quantity);
        return q.endsWith("m") ? Integer.parseInt(q.substring(0, q.length() - 1)) : (int) (Double.parseDouble(q) * 1000);
    }

    @Test
    void theGracePeriodCoversThePreStopPauseAndTheGatewaysDrain() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        int shutdown = Integer.parseInt(Optional.ofNullable(env(docs).get("CANARYLLM_SHUTDOWN_TIMEOUT_SECONDS"))
                .orElse(propertyDefault("CANARYLLM_SHUTDOWN_TIMEOUT_SECONDS")));
        assertEquals("30", propertyDefault("CANARYLLM_SHUTDOWN_TIMEOUT_SECONDS"));
        assertTrue(read("config/application.properties").contains("camel.main.shutdown-timeout = {{env:CANARYLLM_SHUTDOWN_TIMEOUT_SECONDS:"));

        List<Object> preStop = list(at(gateway(docs), "lifecycle.preStop.exec.command"), "preStop command");
        assertEquals("sleep", preStop.get(0), "preStop pauses so that the endpoints drop the pod before SIGTERM");
        int pause = Integer.parseInt(String.valueOf(preStop.get(1)));
        assertTrue(pause >= 5, "preStop pause " + pause + " s");
        int grace = (Integer) podSpec(docs).get("terminationGracePeriodSeconds");
        assertTrue(grace > 30, "terminationGracePeriodSeconds " + grace + " > 30");
        assertTrue(grace > pause + shutdown, "grace " + grace + " s > preStop " + pause + " s + shutdown timeout " + shutdown + " s");
        assertTrue(read("Dockerfile").contains("STOPSIGNAL SIGTERM"));
    }

    @Test
    void thePodRunsAsTheImagesUserOnAReadOnlyRootWithTmpAsItsOnlyWritablePath() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        Map<String, Object> pod = podSpec(docs);
        Matcher uid = Pattern.compile("--uid\\s+(\\d+)").matcher(read("Dockerfile"));
        assertTrue(uid.find(), "the Dockerfile creates its user with a fixed uid");
        assertEquals(Boolean.TRUE, at(pod, "securityContext.runAsNonRoot"));
        assertEquals(Integer.parseInt(uid.group(1)), at(pod, "securityContext.runAsUser"));
        Map<String, Object> c = gateway(docs);
        assertEquals(Boolean.TRUE, at(c, "securityContext.readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, at(c, "securityContext.allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), at(c, "securityContext.capabilities.drop"));
        assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"));

        // Vert.x keeps its file cache under java.io.tmpdir: /tmp is an emptyDir
        String tmpVolume = null;
        for (Object m : list(c.get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> mount = map(m, "volumeMount");
            if ("/tmp".equals(mount.get("mountPath"))) tmpVolume = String.valueOf(mount.get("name"));
        }
        assertNotNull(tmpVolume, "/tmp is mounted");
        boolean emptyDir = false;
        for (Object v : list(pod.get("volumes"), "volumes")) {
            Map<String, Object> vol = map(v, "volume");
            if (tmpVolume.equals(vol.get("name"))) emptyDir = vol.containsKey("emptyDir");
        }
        assertTrue(emptyDir, "/tmp is an emptyDir");
        // the embedded H2 store would need the image's /data: the manifests run on PostgreSQL only
        String dbUrl = data(generated(docs, "canaryllm-values")).get("CANARYLLM_DB_URL");
        assertTrue(dbUrl != null && dbUrl.startsWith("jdbc:postgresql://"), "values set a PostgreSQL URL, was " + dbUrl);

        // one replica per node where possible
        boolean spread = false;
        for (Object t : list(pod.getOrDefault("topologySpreadConstraints", List.of()), "topologySpreadConstraints")) {
            Map<String, Object> tsc = map(t, "topology spread constraint");
            if ("kubernetes.io/hostname".equals(tsc.get("topologyKey"))) {
                spread = true;
                assertSelects(mapAt(tsc, "labelSelector.matchLabels"), docs, "the spread constraint");
            }
        }
        assertTrue(spread, "the pods spread over nodes (topologySpreadConstraints on kubernetes.io/hostname)");
    }

    @Test
    void theRoutesConfigMapHoldsExactlyRoutesAndIsMountedWhereTheImageReadsThem() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        String workdir = dockerfile("WORKDIR");
        assertTrue(read("config/application.properties").contains("routes-include-pattern = file:routes/*.camel.yaml"),
                "the gateway reads routes/*.camel.yaml from its working directory");
        Map<String, Object> routes = generated(docs, "canaryllm-routes");
        assertEquals(folder("routes", "*.camel.yaml"), data(routes),
                "ConfigMap canaryllm-routes = routes/*.camel.yaml (list a new route file in routes/kustomization.yaml)");
        assertEquals(workdir + "/routes", mountPath(docs, name(routes)));
    }

    @Test
    void theConfigConfigMapHoldsExactlyConfigAndIsMountedWhereTheImageReadsIt() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        String workdir = dockerfile("WORKDIR");
        Map<String, Object> config = generated(docs, "canaryllm-config");
        Map<String, String> files = folder("config", "*");
        assertTrue(files.keySet().containsAll(List.of("application.properties", "catalogue.yaml")), "config/: " + files.keySet());
        assertEquals(files, data(config), "ConfigMap canaryllm-config = config/ (list a new file in config/kustomization.yaml)");
        assertEquals(workdir + "/config", mountPath(docs, name(config)));
        assertFalse(env(docs).containsKey("CANARYLLM_CATALOGUE"), "the catalogue is the mounted config/catalogue.yaml");
    }

    @Test
    void theEnvironmentComesFromTheValuesAndTheSecret() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        Map<String, Object> values = generated(docs, "canaryllm-values");
        assertEquals(List.of("configMapRef:" + name(values), "secretRef:canaryllm-keys"), envFrom(docs),
                "values first, then the Secret (a key there overrides a value)");
        for (Object e : list(gateway(docs).get("envFrom"), "envFrom")) {
            Object optional = at(map(e, "envFrom"), map(e, "envFrom").containsKey("secretRef") ? "secretRef.optional" : "configMapRef.optional");
            assertTrue(optional == null || Boolean.FALSE.equals(optional), "a missing Secret or values stops the pod, it does not start without them");
        }
        Map<String, String> v = data(values);
        assertEquals(envFile(BASE + "/values.env"), v, "ConfigMap canaryllm-values = values.env");
        assertTrue(v.get("CANARYLLM_DB_URL").startsWith("jdbc:postgresql://"), v.toString());
        assertFalse(v.getOrDefault("CANARYLLM_DB_USER", "").isBlank(), "values set the database user");
        assertTrue(v.get("CANARYLLM_REDIS_URL").startsWith("redis://"), v.toString());
        for (String k : v.keySet()) {
            assertTrue(k.startsWith("CANARYLLM_"), "values hold the gateway's settings: " + k);
            assertFalse(k.contains("PASSWORD") || k.contains("API_KEY") || k.equals("CANARYLLM_MASTER_KEY")
                    || k.equals("CANARYLLM_VERTEX_CREDENTIALS"), k + " is a secret: it belongs in canaryllm-keys");
        }
        // the Deployment does not set them itself (env would win over both)
        for (String k : List.of("CANARYLLM_DB_URL", "CANARYLLM_DB_USER", "CANARYLLM_DB_PASSWORD", "CANARYLLM_REDIS_URL",
                "CANARYLLM_MASTER_KEY")) {
            assertFalse(env(docs).containsKey(k), k + " comes from the values or the Secret, not the Deployment");
        }
    }

    @Test
    void serviceHpaAndPdbSelectAndTargetTheGatewaysPods() throws Exception {
        List<Map<String, Object>> docs = rendered(BASE);
        Map<String, Object> dep = deployment(docs);
        assertSelects(mapAt(dep, "spec.selector.matchLabels"), docs, "the Deployment's selector");

        Map<String, Object> svc = one(docs, "Service", "canaryllm");
        assertEquals("ClusterIP", at(svc, "spec.type"));
        assertSelects(mapAt(svc, "spec.selector"), docs, "the Service");
        List<Object> ports = list(at(svc, "spec.ports"), "Service ports");
        assertEquals(1, ports.size());
        Map<String, Object> port = map(ports.get(0), "Service port");
        assertEquals(80, port.get("port"));
        assertEquals(8080, containerPort(docs, port.get("targetPort")));

        Map<String, Object> hpa = one(docs, "HorizontalPodAutoscaler", "canaryllm");
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", name(dep)), mapAt(hpa, "spec.scaleTargetRef"));
        assertEquals(3, at(hpa, "spec.minReplicas"));
        assertEquals(10, at(hpa, "spec.maxReplicas"));
        assertEquals(at(dep, "spec.replicas"), at(hpa, "spec.minReplicas"), "the Deployment starts at the HPA's floor");
        Map<String, Object> metric = map(list(at(hpa, "spec.metrics"), "HPA metrics").get(0), "HPA metric");
        assertEquals("Resource", metric.get("type"));
        assertEquals("cpu", at(metric, "resource.name"));
        assertEquals("Utilization", at(metric, "resource.target.type"));
        assertEquals(70, at(metric, "resource.target.averageUtilization"));

        Map<String, Object> pdb = one(docs, "PodDisruptionBudget", "canaryllm");
        assertEquals(2, at(pdb, "spec.minAvailable"));
        assertTrue((Integer) at(pdb, "spec.minAvailable") < (Integer) at(hpa, "spec.minReplicas"), "a drain can still move a pod");
        assertSelects(mapAt(pdb, "spec.selector.matchLabels"), docs, "the PDB");
    }

    /** {@code selector} is not empty and every label of it is on the Deployment's pods. */
    private static void assertSelects(Map<String, Object> selector, List<Map<String, Object>> docs, String what) {
        Map<String, Object> podLabels = mapAt(deployment(docs), "spec.template.metadata.labels");
        assertFalse(selector.isEmpty(), what + " selects something");
        selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), what + " selects " + k + "=" + v + ", the pods have " + podLabels));
    }

    @Test
    void everyConfigMapTheDeploymentNamesIsRenderedUnderThatHashedName() throws Exception {
        for (String dir : List.of(BASE, OVERLAY)) {
            List<Map<String, Object>> docs = rendered(dir);
            Set<String> configMaps = new TreeSet<>();
            for (Map<String, Object> cm : ofKind(docs, "ConfigMap")) {
                assertTrue(HASHED.matcher(name(cm)).matches(), dir + ": " + name(cm) + " carries its content hash");
                configMaps.add(name(cm));
            }
            Set<String> referenced = new TreeSet<>();
            for (Object v : list(podSpec(docs).get("volumes"), "volumes")) {
                Object cm = map(v, "volume").get("configMap");
                if (cm != null) referenced.add(String.valueOf(map(cm, "configMap volume").get("name")));
            }
            for (String ref : envFrom(docs)) {
                if (ref.startsWith("configMapRef:")) referenced.add(ref.substring("configMapRef:".length()));
            }
            assertEquals(configMaps, referenced, dir + ": the Deployment refers to every rendered ConfigMap by its hashed name");
        }
    }

    @Test
    void aChangedRouteRenamesItsConfigMapSoThePodsRollOver(@TempDir Path copy) throws Exception {
        requireKubectl();
        for (String dir : List.of("config", "routes", "deploy/k8s")) copyTree(ROOT.resolve(dir), copy.resolve(dir));
        List<Map<String, Object>> before = render(copy, BASE);
        Path route = copy.resolve("routes/hook-after-response.camel.yaml");
        Files.writeString(route, Files.readString(route) + "# edited by an operator\n");
        List<Map<String, Object>> after = render(copy, BASE);

        String routesBefore = name(generated(before, "canaryllm-routes"));
        String routesAfter = name(generated(after, "canaryllm-routes"));
        assertNotEquals(routesBefore, routesAfter, "new content, new name");
        assertEquals(name(generated(before, "canaryllm-config")), name(generated(after, "canaryllm-config")), "config/ did not change");
        assertEquals(dockerfile("WORKDIR") + "/routes", mountPath(after, routesAfter), "the Deployment mounts the new one");
        assertNotEquals(at(deployment(before), "spec.template"), at(deployment(after), "spec.template"),
                "the pod template changed, so the Deployment rolls its pods");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void theExampleOverlaySetsItsOwnValuesImageAndReplicas() throws Exception {
        List<Map<String, Object>> base = rendered(BASE);
        List<Map<String, Object>> overlay = rendered(OVERLAY);

        Set<String> baseObjects = names(base).stream().map(n -> n.replaceAll("-[a-z0-9]{10}$", "")).collect(TreeSet::new, Set::add, Set::addAll);
        Set<String> overlayObjects = names(overlay).stream().map(n -> n.replaceAll("-[a-z0-9]{10}$", "")).collect(TreeSet::new, Set::add, Set::addAll);
        overlayObjects.remove("Namespace/canaryllm");
        assertEquals(baseObjects, overlayObjects, "the overlay renders the base's objects (and its namespace)");
        for (Map<String, Object> d : overlay) {
            if (!kind(d).equals("Namespace")) assertEquals("canaryllm", at(d, "metadata.namespace"), kind(d) + "/" + name(d));
        }

        // image and replicas
        String baseImage = String.valueOf(gateway(base).get("image"));
        String image = String.valueOf(gateway(overlay).get("image"));
        assertNotEquals(baseImage, image);
        assertTrue(image.matches(".+/canaryllm:[0-9][^:]*"), "a registry image with a version tag: " + image);
        int replicas = (Integer) at(deployment(overlay), "spec.replicas");
        assertNotEquals(at(deployment(base), "spec.replicas"), replicas);
        Map<String, Object> hpa = one(overlay, "HorizontalPodAutoscaler", "canaryllm");
        assertEquals(replicas, at(hpa, "spec.minReplicas"), "the HPA's floor follows the overlay's replicas");
        assertTrue(replicas <= (Integer) at(hpa, "spec.maxReplicas"));

        // values: the overlay's own PostgreSQL and Redis, referenced under the new hashed name
        Map<String, String> baseValues = data(generated(base, "canaryllm-values"));
        Map<String, Object> valuesMap = generated(overlay, "canaryllm-values");
        Map<String, String> values = data(valuesMap);
        assertEquals(envFile(OVERLAY + "/values.env"), values, "the overlay's values.env replaces the base's");
        for (String k : List.of("CANARYLLM_DB_URL", "CANARYLLM_REDIS_URL")) {
            assertNotEquals(baseValues.get(k), values.get(k), k + " is the overlay's");
        }
        assertTrue(values.get("CANARYLLM_DB_URL").startsWith("jdbc:postgresql://"));
        assertTrue(values.get("CANARYLLM_REDIS_URL").startsWith("redis://"));
        assertEquals(List.of("configMapRef:" + name(valuesMap), "secretRef:canaryllm-keys"), envFrom(overlay));

        // everything else as in the base: the same routes and config, probes, grace period
        assertEquals(data(generated(base, "canaryllm-routes")), data(generated(overlay, "canaryllm-routes")));
        assertEquals(data(generated(base, "canaryllm-config")), data(generated(overlay, "canaryllm-config")));
        for (String field : List.of("livenessProbe", "readinessProbe", "startupProbe", "resources", "lifecycle", "securityContext")) {
            assertEquals(gateway(base).get(field), gateway(overlay).get(field), field);
        }
        assertEquals(podSpec(base).get("terminationGracePeriodSeconds"), podSpec(overlay).get("terminationGracePeriodSeconds"));
    }
}
