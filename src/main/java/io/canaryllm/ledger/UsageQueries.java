package io.canaryllm.ledger;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the usage ledger: rows, totals and summaries, in SQL that runs unchanged on H2 and PostgreSQL. */
public final class UsageQueries {
    private static final String TOTALS = "COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),"
            + " COALESCE(SUM(cache_read_tokens), 0), COALESCE(SUM(cache_write_tokens), 0), COALESCE(SUM(reasoning_tokens), 0),"
            + " COALESCE(SUM(provider_cost), 0), COALESCE(SUM(billed_cost), 0)";
    private final DataSource ds;

    public UsageQueries(DataSource ds) { this.ds = ds; }

    /** Which rows: every field optional; {@code from} inclusive, {@code to} exclusive. */
    public record Filter(String keyId, String model, Instant from, Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null);

        public Filter forKey(String id) { return new Filter(id, model, from, to); }

        public Filter since(Instant at) { return new Filter(keyId, model, at, to); }

        String where(List<Object> args) {
            StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
            if (keyId != null) { sql.append(" AND key_id = ?"); args.add(keyId); }
            if (model != null) { sql.append(" AND model = ?"); args.add(model); }
            if (from != null) { sql.append(" AND created_at >= ?"); args.add(from.atOffset(ZoneOffset.UTC)); }
            if (to != null) { sql.append(" AND created_at < ?"); args.add(to.atOffset(ZoneOffset.UTC)); }
            return sql.toString();
        }
    }

    public enum GroupBy {
        DAY("usage_day", "day"), MODEL("model", "model"), KEY("key_id", "key_id"), DEPLOYMENT("deployment", "deployment");
        final String column;
        final String field;

        GroupBy(String column, String field) {
            this.column = column;
            this.field = field;
        }
    }

    /** The matching rows, newest first, at most {@code limit}. */
    public List<Map<String, Object>> rows(Filter f, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT id, created_at, key_id, endpoint, model, provider, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, reasoning_tokens, provider_cost, billed_cost, latency_ms, first_token_ms, status, request_id,"
                + " deployment FROM usage_ledger" + f.where(args) + " ORDER BY created_at DESC, id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        return query(sql, args, rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getString(1));
            m.put("created_at", rs.getObject(2, OffsetDateTime.class).toInstant().toString());
            m.put("key_id", rs.getString(3));
            m.put("endpoint", rs.getString(4));
            m.put("model", rs.getString(5));
            m.put("provider", rs.getString(6));
            m.put("deployment", rs.getString(18));
            m.put("input_tokens", rs.getLong(7));
            m.put("output_tokens", rs.getLong(8));
            m.put("cache_read_tokens", rs.getLong(9));
            m.put("cache_write_tokens", rs.getLong(10));
            m.put("reasoning_tokens", rs.getLong(11));
            m.put("provider_cost", money(rs.getBigDecimal(12)));
            m.put("cost", money(rs.getBigDecimal(13)));
            m.put("latency_ms", rs.getLong(14));
            long first = rs.getLong(15);
            m.put("time_to_first_token_ms", rs.wasNull() ? null : first);
            m.put("status", rs.getInt(16));
            m.put("request_id", rs.getString(17));
            return m;
        });
    }

    /** Totals over every matching row. */
    public Map<String, Object> totals(Filter f) {
        List<Object> args = new ArrayList<>();
        return query("SELECT " + TOTALS + " FROM usage_ledger" + f.where(args), args, rs -> totals(rs, 1)).get(0);
    }

    /** What a key was billed from {@code from} on, exactly: the spend a budget counter starts from. */
    public BigDecimal billedSince(String keyId, Instant from) {
        List<Object> args = new ArrayList<>();
        return query("SELECT COALESCE(SUM(billed_cost), 0) FROM usage_ledger" + new Filter(keyId, null, from, null).where(args),
                args, rs -> rs.getBigDecimal(1)).get(0);
    }

    /** Totals per day (UTC), model or key, in that order. */
    public List<Map<String, Object>> summary(Filter f, GroupBy by) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + by.column + ", " + TOTALS + " FROM usage_ledger" + f.where(args)
                + " GROUP BY " + by.column + " ORDER BY " + by.column;
        return query(sql, args, rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(by.field, by == GroupBy.DAY ? rs.getObject(1, java.time.LocalDate.class).toString() : rs.getString(1));
            m.putAll(totals(rs, 2));
            return m;
        });
    }

    private static Map<String, Object> totals(ResultSet rs, int at) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", rs.getLong(at));
        m.put("input_tokens", rs.getLong(at + 1));
        m.put("output_tokens", rs.getLong(at + 2));
        m.put("cache_read_tokens", rs.getLong(at + 3));
        m.put("cache_write_tokens", rs.getLong(at + 4));
        m.put("reasoning_tokens", rs.getLong(at + 5));
        m.put("provider_cost", money(rs.getBigDecimal(at + 6)));
        m.put("cost", money(rs.getBigDecimal(at + 7)));
        return m;
    }

    /** US dollars as an exact decimal string ("0.000125"), null when unpriced. */
    static String money(BigDecimal v) {
        if (v == null) return null;
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private interface RowMapper<T> { T map(ResultSet rs) throws SQLException; }

    private <T> List<T> query(String sql, List<Object> args, RowMapper<T> mapper) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
            try (ResultSet rs = s.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage ledger: " + e.getMessage(), e);
        }
    }
}
