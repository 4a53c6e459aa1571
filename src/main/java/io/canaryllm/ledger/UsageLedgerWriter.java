package io.canaryllm.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The database side of the usage ledger: inserts each batch the {@code usage-ledger} route aggregates in one JDBC
 * batch and one transaction. While the store is unreachable, batches wait in a bounded buffer (rows beyond it are
 * dropped and counted) and the route's retry timer writes them once it is back; new batches queue behind them
 * without touching the store meanwhile. A batch that may have been committed before its connection failed is
 * written again row by row, skipping the ids already there, so no call is counted twice.
 *
 * <p>Custody at shutdown: a row is the writer's from the moment the route's aggregator takes it off the queue
 * ({@link #collect()}) until it is stored. Camel's aggregator completes a batch on its own threads, and a batch
 * completed while the context stops can be dropped (its executor is shut down with {@code shutdownNow}) or its
 * insert interrupted (an interrupt closes H2's file channel). So every write runs on the writer's own thread, which
 * only {@link #close()} stops, after it has finished what it was given; then rows still in an aggregate are written.
 */
public final class UsageLedgerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageLedgerWriter.class);
    private static final String INSERT = "INSERT INTO usage_ledger (id, created_at, usage_day, key_id, endpoint, model, provider,"
            + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, provider_cost,"
            + " billed_cost, latency_ms, first_token_ms, status, request_id, deployment)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int RETRY_BATCH = 500;
    private final DataSource ds;
    private final int bufferLimit;
    private final Counter written;
    private final Counter dropped;
    /** Rows that could not be written yet, oldest first; guarded by {@code this}. */
    private final ArrayDeque<UsageRow> buffer = new ArrayDeque<>();
    private volatile int buffered;
    private boolean outage;
    /** Rows taken off the queue into an aggregate and not yet handed to a write, by id. */
    private final Map<String, UsageRow> collected = new ConcurrentHashMap<>();
    /** The one thread that touches the store: never interrupted by Camel's shutdown. */
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "usage-ledger-writer");
        t.setDaemon(true);
        return t;
    });

    public UsageLedgerWriter(DataSource ds, MeterRegistry registry, int bufferLimit) {
        this.ds = ds;
        this.bufferLimit = bufferLimit;
        this.written = Counter.builder("canaryllm.usage.rows.written").description("Usage rows written to the ledger").register(registry);
        this.dropped = UsageLedger.droppedCounter(registry);
        Gauge.builder("canaryllm.usage.rows.buffered", this, w -> w.buffered)
                .description("Usage rows held for the store to come back").register(registry);
    }

    /** The route's aggregation strategy: the rows as a list, each in the writer's custody from here on. */
    public AggregationStrategy collect() {
        GroupedBodyAggregationStrategy grouped = new GroupedBodyAggregationStrategy();
        return new AggregationStrategy() {
            @Override
            public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
                if (newExchange.getIn().getBody() instanceof UsageRow row) collected.put(row.id(), row);
                return grouped.aggregate(oldExchange, newExchange);
            }

            @Override
            public void onCompletion(Exchange exchange) { grouped.onCompletion(exchange); }
        };
    }

    /** A row that finished while the ledger route was already stopping: written by {@link #close()}. */
    public void takeLate(UsageRow row) { collected.put(row.id(), row); }

    /** Route step: the aggregated batch (a list of {@link UsageRow}) into the store, on the writer's thread. */
    public Processor insertBatch() {
        return exchange -> {
            List<?> body = exchange.getMessage().getBody(List.class);
            if (body == null || body.isEmpty()) return;
            List<UsageRow> rows = new ArrayList<>(body.size());
            for (Object o : body) if (o instanceof UsageRow r) rows.add(r);
            onWriterThread(() -> {
                for (UsageRow r : rows) collected.remove(r.id());
                write(rows);
            });
        };
    }

    /** Route step on the retry timer: writes what the buffer holds, if anything, on the writer's thread. */
    public Processor retry() {
        return exchange -> onWriterThread(this::flushBuffer);
    }

    /** Runs {@code work} on the writer's thread and waits for it; an interrupted wait leaves the work running. */
    private void onWriterThread(Runnable work) throws Exception {
        Future<?> done;
        try {
            done = writerThread.submit(work);
        } catch (RejectedExecutionException closed) {
            return; // after close(): nothing is written any more (close() took what was left)
        }
        try {
            done.get();
        } catch (InterruptedException shuttingDown) {
            Thread.currentThread().interrupt(); // the write goes on; close() waits for it
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    public synchronized void write(List<UsageRow> rows) {
        if (!buffer.isEmpty()) { // the store was down: keep order and leave the retrying to the timer
            hold(rows);
            return;
        }
        try {
            insert(rows);
            written.increment(rows.size());
        } catch (SQLException e) {
            failed(e);
            hold(rows);
        }
    }

    /** Writes the buffered rows in batches; stops at the first failure. Returns the number of rows still held. */
    public synchronized int flushBuffer() {
        while (!buffer.isEmpty()) {
            List<UsageRow> batch = new ArrayList<>(Math.min(RETRY_BATCH, buffer.size()));
            var it = buffer.iterator();
            while (it.hasNext() && batch.size() < RETRY_BATCH) batch.add(it.next());
            try {
                insert(batch);
            } catch (SQLException e) {
                failed(e);
                return buffer.size();
            }
            for (int i = 0; i < batch.size(); i++) buffer.removeFirst();
            buffered = buffer.size();
            written.increment(batch.size());
        }
        if (outage) {
            outage = false;
            LOG.info("usage ledger: store reachable again, buffered rows written");
        }
        return 0;
    }

    /**
     * At shutdown, after the route has drained: waits for the writes in progress, takes the rows still in an
     * aggregate, and makes a last attempt; what cannot be written is counted as dropped.
     */
    public void close() {
        writerThread.shutdown();
        try {
            if (!writerThread.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("usage ledger: a write did not finish in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            List<UsageRow> left = new ArrayList<>(collected.values());
            collected.clear();
            if (!left.isEmpty()) {
                left.sort(java.util.Comparator.comparing(UsageRow::id)); // ids are time-ordered
                LOG.info("usage ledger: {} rows of an unfinished batch written at shutdown", left.size());
                hold(left);
            }
            closeBuffer();
        }
    }

    private void closeBuffer() {
        int left = flushBuffer();
        if (left > 0) {
            dropped.increment(left);
            LOG.error("usage ledger: {} rows could not be written before shutdown (store unreachable)", left);
            buffer.clear();
            buffered = 0;
        }
    }

    public synchronized int bufferedRows() { return buffer.size(); }

    private void hold(List<UsageRow> rows) {
        int room = bufferLimit - buffer.size();
        int kept = Math.max(0, Math.min(room, rows.size()));
        for (int i = 0; i < kept; i++) buffer.addLast(rows.get(i));
        buffered = buffer.size();
        if (kept < rows.size()) {
            dropped.increment(rows.size() - kept);
            LOG.error("usage ledger: retry buffer full ({} rows), {} rows dropped", bufferLimit, rows.size() - kept);
        }
    }

    private void failed(SQLException e) {
        if (!outage) {
            outage = true;
            LOG.warn("usage ledger: store unreachable ({}); rows are held (up to {}) and retried every second", e.getMessage(), bufferLimit);
        }
    }

    private void insert(List<UsageRow> rows) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                for (UsageRow r : rows) {
                    bind(s, r);
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                if (!duplicate(e)) throw e;
                // part of this batch is already stored (a commit whose answer was lost): one by one, skipping those
                insertEach(c, rows);
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static void insertEach(Connection c, List<UsageRow> rows) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (UsageRow r : rows) {
                bind(s, r);
                try {
                    s.executeUpdate();
                } catch (SQLException e) {
                    if (!duplicate(e)) throw e;
                }
            }
        }
    }

    private static void bind(PreparedStatement s, UsageRow r) throws SQLException {
        var at = r.createdAt().atOffset(ZoneOffset.UTC);
        s.setString(1, r.id());
        s.setObject(2, at);
        s.setObject(3, at.toLocalDate());
        s.setString(4, r.keyId());
        s.setString(5, r.endpoint());
        s.setString(6, r.model());
        s.setString(7, r.provider());
        s.setLong(8, r.usage().input());
        s.setLong(9, r.usage().output());
        s.setLong(10, r.usage().cacheRead());
        s.setLong(11, r.usage().cacheWrite());
        s.setLong(12, r.usage().reasoning());
        s.setBigDecimal(13, r.providerCost());
        s.setBigDecimal(14, r.billedCost());
        s.setLong(15, r.latencyMs());
        if (r.firstTokenMs() == null) s.setNull(16, Types.BIGINT);
        else s.setLong(16, r.firstTokenMs());
        s.setInt(17, r.status());
        s.setString(18, r.requestId());
        s.setString(19, r.deployment());
    }

    /** A unique-key violation (SQLState 23505 on H2 and PostgreSQL), anywhere in the exception chain. */
    static boolean duplicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if ("23505".equals(n.getSQLState())) return true;
                    if (n instanceof BatchUpdateException && n.getNextException() == n) break;
                }
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; nothing was committed on it
        }
    }
}
