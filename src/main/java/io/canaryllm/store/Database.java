package io.canaryllm.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.canaryllm.config.Settings;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * The gateway's store: an embedded H2 file database under {@code CANARYLLM_DATA_DIR} by default, or whatever
 * {@code CANARYLLM_DB_URL} names. The schema is Flyway's, in SQL that runs unchanged on H2 and PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) { this.dataSource = dataSource; }

    public static Database open() {
        String url = Settings.get("CANARYLLM_DB_URL").orElseGet(() -> {
            Path dir = Path.of(Settings.get("CANARYLLM_DATA_DIR", "./data")).toAbsolutePath().normalize();
            // AUTO_SERVER off: one gateway owns the file; DB_CLOSE_ON_EXIT off: the pool closes it at shutdown.
            // CACHE_SIZE: H2's page cache defaults to 64 MB per GB of heap (32 MB here). Under load the ledger's
            // pages pass through it: each outlives a few young collections, is promoted, and dies in the old
            // generation, which the serial collector grows instead of collecting. 1 MB halved that growth and cut
            // RSS under load by about 50 MB (bench/README.md); the ledger is written, rarely read.
            // WRITE_DELAY: how long committed rows wait in memory for H2's background writer (default 500 ms). At
            // 14,000 ledger rows/s, rows held that long outlive the ~15 young collections after which objects are
            // promoted, and die in the old generation: 100 ms kept it at 20-34 MB instead of growing to 100 MB
            // (bench/README.md), and a crash loses less.
            return "jdbc:h2:file:" + dir.resolve("canaryllm") + ";DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE="
                    + Settings.getLong("CANARYLLM_H2_CACHE_KB", 1024)
                    + ";WRITE_DELAY=" + Settings.getLong("CANARYLLM_H2_WRITE_DELAY_MS", 100);
        });
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        Settings.get("CANARYLLM_DB_USER").ifPresent(config::setUsername);
        Settings.get("CANARYLLM_DB_PASSWORD").ifPresent(config::setPassword);
        config.setMaximumPoolSize((int) Settings.getLong("CANARYLLM_DB_POOL_SIZE", 8));
        config.setMinimumIdle(1);
        config.setPoolName("canaryllm-store");
        // How long a borrower waits for a connection. While the database is down (a restart, a failover) every
        // wait runs to this timeout, since Hikari only hands out a connection once it could open one: Hikari's
        // default (30 s) would hang a request that long. 2 s bounds it; the callers cope with the failure (the key
        // cache answers from its last known entries and probes the store at most once a second, the usage ledger
        // holds its rows and retries every second). The pool recovers by itself: connections the restart killed are
        // evicted (their "terminating connection" error, or a failed validation on borrow, bounded by
        // validationTimeout) and new ones are opened once the database answers again.
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new Database(ds);
    }

    public DataSource dataSource() { return dataSource; }

    /** Readiness: a connection can be borrowed and is valid within one second. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() { dataSource.close(); }
}
