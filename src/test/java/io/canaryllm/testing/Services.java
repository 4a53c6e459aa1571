package io.canaryllm.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, database test, trust auth) and Redis (127.0.0.1:6379), which .ci/run
 * starts when they are down. A test that needs one calls {@link #assumePostgres()} / {@link #assumeRedis()} per test
 * (in {@code @BeforeEach} or the test itself, not {@code @BeforeAll}: an aborted class shows as "0 tests run"), so on
 * a developer's machine without them each such test is reported as skipped, never as passed. Under {@code CI=true}
 * (set by .ci/run; surefire's forked JVM inherits the environment) a missing service is a failure instead: a CI run
 * that skipped the store and limit tests would look green without having tested them.
 */
public final class Services {
    public static final String POSTGRES_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The gateway's environment for a store on the machine's PostgreSQL. */
    public static final Map<String, String> POSTGRES = Map.of("CANARYLLM_DB_URL", POSTGRES_JDBC_URL, "CANARYLLM_DB_USER", "postgres");
    public static final String REDIS_URL = "redis://127.0.0.1:6379";

    private Services() {}

    public static void assumePostgres() { missing(5432, "PostgreSQL").ifPresent(Services::skipOrFail); }

    public static void assumeRedis() { missing(6379, "Redis").ifPresent(Services::skipOrFail); }

    /** True when the environment says this is a CI run ({@code CI=true}, as .ci/run and most CI systems set it). */
    static boolean ci() { return "true".equalsIgnoreCase(System.getenv("CI")); }

    /**
     * Skips the test on a developer's machine; fails it under CI, where every service (and what a service test needs
     * of it) must be there.
     */
    public static void skipOrFail(String why) {
        if (ci()) Assertions.fail("CI=true, so a service test may not be skipped: " + why + " (.ci/run starts PostgreSQL and Redis)");
        Assumptions.abort(why);
    }

    /** Why the service on {@code port} cannot be used, or empty when it answers. */
    public static Optional<String> missing(int port, String what) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("no " + what + " on 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }
}
