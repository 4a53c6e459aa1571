package io.canaryllm.ledger;

import io.canaryllm.canonical.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batch writer on its own: rows held while the store is down, written when it is back, never twice, bounded. */
class UsageLedgerWriterTest {
    private final Switchable ds = new Switchable();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private UsageQueries queries;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:ledger-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.target = h2;
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        queries = new UsageQueries(h2);
    }

    private static List<UsageRow> rows(int n) {
        List<UsageRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new UsageRow(UsageRow.newId(), Instant.now(), "key1", "chat_completions", "openai/gpt-4.1", "openai",
                    new Usage(10, 5, 2, 0, 1), new BigDecimal("0.000052"), new BigDecimal("0.000065"), 12, i % 2 == 0 ? null : 3L, 200, "req-" + i, "openai"));
        }
        return out;
    }

    private long stored() { return (Long) queries.totals(UsageQueries.Filter.ALL).get("requests"); }

    private double dropped() { return meters.get("canaryllm.usage.rows.dropped").counter().count(); }

    @Test
    void rowsAreHeldWhileTheStoreIsDownAndWrittenWhenItIsBack() {
        UsageLedgerWriter writer = new UsageLedgerWriter(ds, meters, 1_000);
        writer.write(rows(3));
        assertEquals(3, stored());
        ds.down = true;
        writer.write(rows(100));
        writer.write(rows(50));
        assertEquals(150, writer.bufferedRows());
        assertEquals(150, writer.flushBuffer(), "still down: still held");
        ds.down = false;
        writer.write(rows(7)); // queued behind the held rows, not written ahead of them
        assertEquals(3, stored());
        assertEquals(0, writer.flushBuffer());
        assertEquals(160, stored());
        assertEquals(0, dropped());
        var totals = queries.totals(UsageQueries.Filter.ALL);
        assertEquals(1600L, totals.get("input_tokens"));
        assertEquals("0.0104", totals.get("cost"));
        assertEquals("0.00832", totals.get("provider_cost"));
    }

    @Test
    void rowsInAnAggregateThatNeverCompletedAreWrittenAtClose() throws Exception {
        // Camel may drop a batch its aggregator completed while the context stops: the writer still has the rows
        UsageLedgerWriter writer = new UsageLedgerWriter(ds, meters, 1_000);
        var strategy = writer.collect();
        var camel = new org.apache.camel.impl.DefaultCamelContext();
        org.apache.camel.Exchange batch = null;
        List<UsageRow> rows = rows(5);
        for (UsageRow r : rows) {
            var e = new org.apache.camel.support.DefaultExchange(camel);
            e.getIn().setBody(r);
            batch = strategy.aggregate(batch, e);
        }
        // the first two went through the route's insert step; the other three were in a batch Camel dropped
        var insert = new org.apache.camel.support.DefaultExchange(camel);
        insert.getIn().setBody(List.of(rows.get(0), rows.get(1)));
        writer.insertBatch().process(insert);
        assertEquals(2, stored());
        writer.takeLate(rows(1).get(0)); // and one call ended after the queue had closed
        writer.close();
        assertEquals(6, stored(), "every row in the writer's custody is written once");
        assertEquals(0, dropped());
        writer.insertBatch().process(insert); // after close nothing is written any more
        assertEquals(6, stored());
    }

    @Test
    void aBatchWrittenAgainCountsOnce() {
        UsageLedgerWriter writer = new UsageLedgerWriter(ds, meters, 1_000);
        List<UsageRow> batch = rows(10);
        writer.write(batch.subList(0, 4)); // as if committed before the connection broke
        writer.write(batch);
        assertEquals(10, stored());
        assertEquals(0, writer.bufferedRows());
    }

    @Test
    void theBufferIsBoundedAndLossesAreCounted() {
        UsageLedgerWriter writer = new UsageLedgerWriter(ds, meters, 120);
        ds.down = true;
        writer.write(rows(100));
        writer.write(rows(100));
        assertEquals(120, writer.bufferedRows());
        assertEquals(80, dropped());
        writer.close(); // still down at shutdown: the rest is counted as lost, loudly
        assertEquals(200, dropped());
        ds.down = false;
        assertEquals(0, stored());
    }

    /** A data source that can be switched off, as a store that went away. */
    private static final class Switchable implements DataSource {
        volatile boolean down;
        DataSource target;

        @Override
        public Connection getConnection() throws SQLException {
            if (down) throw new SQLTransientConnectionException("connection refused");
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }

        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) {}
        @Override public void setLoginTimeout(int seconds) {}
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
        @Override public <T> T unwrap(Class<T> iface) { throw new UnsupportedOperationException(); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
