package io.canaryllm.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/canaryllm-codex (fish) and bin/canaryllm-codex.bash build the same codex command line: inline -c
 * overrides for a "canaryllm" Responses provider reading CANARYLLM_API_KEY, the model, then the caller's
 * arguments. Checked three ways: the dry-run line (--print-command, CANARYLLM_DRY_RUN=1), the argv a fake
 * codex on PATH receives when the wrapper really runs, and that line run by a shell giving that same argv.
 * ~/.codex is never created. The fish script is skipped when fish is not installed.
 */
class CodexWrapperTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().normalize();
    private static final String KEY = "clk_live_wrapperTestKey0000000000000000";
    private static final String PROVIDER_PREFIX = "model_providers.canaryllm={name=\"CanaryLLM\",base_url=\"";
    private static final String PROVIDER_SUFFIX = "\",env_key=\"CANARYLLM_API_KEY\",wire_api=\"responses\"}";

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static List<String> interpreter(String script) {
        return script.endsWith(".bash") ? List.of("bash") : List.of("fish");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private void assumeRunnable(String script) {
        String shell = interpreter(script).get(0);
        Assumptions.assumeTrue(onPath(shell), shell + " is not installed: " + script + " not checked");
    }

    private Run run(String script, Map<String, String> env, String... args) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> cmd = new ArrayList<>(interpreter(script));
        cmd.add(ROOT.resolve(script).toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("CANARYLLM_"));
        e.put("HOME", home.toString());
        e.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        e.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        e.putAll(env);
        Path out = tmp.resolve("stdout"), err = tmp.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the wrapper finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A codex on PATH that writes its arguments, NUL-terminated, to $FAKE_CODEX_OUT. */
    private Path fakeCodex() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("fakebin"));
        Path codex = bin.resolve("codex");
        Files.writeString(codex, "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > \"$FAKE_CODEX_OUT\"\n"
                + "[[ -n $CANARYLLM_API_KEY ]] && echo key-visible-to-codex\n");
        Files.setPosixFilePermissions(codex, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static List<String> argv(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        if (s.isEmpty()) return List.of();
        return List.of(s.substring(0, s.length() - 1).split("\0", -1));
    }

    private static List<String> expected(String baseUrl, String modelToml, String... rest) {
        List<String> a = new ArrayList<>(List.of("codex", "-c", "model_provider=canaryllm",
                "-c", PROVIDER_PREFIX + baseUrl + PROVIDER_SUFFIX, "-c", "model=" + modelToml));
        a.addAll(Arrays.asList(rest));
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/canaryllm-codex.bash", "bin/canaryllm-codex"})
    void printCommandShowsTheDefaultCommandLine(String script) throws Exception {
        assumeRunnable(script);
        Run r = run(script, Map.of("CANARYLLM_API_KEY", KEY), "--print-command", "exec", "say hi");
        assertEquals(0, r.exit(), r.err());
        assertEquals("codex -c model_provider=canaryllm -c 'model_providers.canaryllm={name=\"CanaryLLM\","
                + "base_url=\"http://localhost:8080/v1\",env_key=\"CANARYLLM_API_KEY\",wire_api=\"responses\"}' "
                + "-c 'model=\"openai/gpt-5\"' exec 'say hi'\n", r.out());
        assertFalse(r.out().contains(KEY), "the key never appears on the command line");
        assertFalse(Files.exists(tmp.resolve("home/.codex")), "~/.codex untouched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/canaryllm-codex.bash", "bin/canaryllm-codex"})
    void dryRunEnvHonoursUrlAndModelOverridesAndQuotesEveryArgument(String script) throws Exception {
        assumeRunnable(script);
        Path codexBin = fakeCodex();
        Map<String, String> env = Map.of("CANARYLLM_API_KEY", KEY, "CANARYLLM_DRY_RUN", "1",
                "CANARYLLM_URL", "https://gw.example.com/v1/", "CANARYLLM_MODEL", "anthropic/claude-sonnet-4-5");
        String[] args = {"exec", "--json", "it's a \"quoted\" $HOME prompt", "", "-c", "model_reasoning_effort=high"};
        Run r = run(script, env, args);
        assertEquals(0, r.exit(), r.err());
        List<String> want = expected("https://gw.example.com/v1", "\"anthropic/claude-sonnet-4-5\"", args);

        // the printed line, run by a shell with the fake codex first on PATH, gives exactly this argv
        Path recorded = tmp.resolve("argv-from-line");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", r.out().strip()).directory(tmp.toFile());
        pb.environment().put("PATH", codexBin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_CODEX_OUT", recorded.toString());
        pb.environment().put("CANARYLLM_API_KEY", KEY);
        Process p = pb.redirectErrorStream(true).start();
        String shellOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), shellOut);
        assertEquals(want.subList(1, want.size()), argv(recorded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/canaryllm-codex.bash", "bin/canaryllm-codex"})
    void runsCodexWithTheOverridesAndTheCallersArguments(String script) throws Exception {
        assumeRunnable(script);
        Path codexBin = fakeCodex();
        Path recorded = tmp.resolve("argv");
        Run r = run(script, Map.of("CANARYLLM_API_KEY", KEY, "CANARYLLM_MODEL", "openai/gpt-4.1",
                        "PATH", codexBin + ":" + System.getenv("PATH"), "FAKE_CODEX_OUT", recorded.toString()),
                "exec", "--skip-git-repo-check", "a b");
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected("http://localhost:8080/v1", "\"openai/gpt-4.1\"", "exec", "--skip-git-repo-check", "a b")
                .subList(1, 10), argv(recorded));
        assertTrue(r.out().contains("key-visible-to-codex"), "codex gets CANARYLLM_API_KEY from the environment");
        assertFalse(Files.exists(tmp.resolve("home/.codex")), "~/.codex untouched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/canaryllm-codex.bash", "bin/canaryllm-codex"})
    void withoutAKeyItStopsWithAMessage(String script) throws Exception {
        assumeRunnable(script);
        Run r = run(script, Map.of("CANARYLLM_DRY_RUN", "1"));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("CANARYLLM_API_KEY"), r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec", "--print-command"})
    void fishAndBashPrintTheSameLine(String firstArg) throws Exception {
        assumeRunnable("bin/canaryllm-codex");
        Map<String, String> env = Map.of("CANARYLLM_API_KEY", KEY, "CANARYLLM_DRY_RUN", "1",
                "CANARYLLM_URL", "http://127.0.0.1:9/v1", "CANARYLLM_MODEL", "x\\y\"z");
        String[] args = {firstArg, "o'brien", "tab\there", "*", "--flag=va lue"};
        Run bash = run("bin/canaryllm-codex.bash", env, args);
        Run fish = run("bin/canaryllm-codex", env, args);
        assertEquals(0, bash.exit(), bash.err());
        assertEquals(0, fish.exit(), fish.err());
        assertEquals(bash.out(), fish.out());
        assertTrue(bash.out().contains("-c 'model=\"x\\\\y\\\"z\"'"), bash.out());
    }
}
