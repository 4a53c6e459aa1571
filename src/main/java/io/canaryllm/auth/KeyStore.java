package io.canaryllm.auth;

import io.canaryllm.core.Json;
import io.canaryllm.auth.Budget;
import io.canaryllm.auth.BudgetPeriod;
import io.canaryllm.auth.KeyLimits;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API keys and gateway settings over JDBC (H2 or PostgreSQL). */
public final class KeyStore {
    private static final String COLUMNS = "id, name, key_prefix, created_at, revoked_at,"
            + " allowed_models, rpm, tpm, budget_amount, budget_period, expires_at";
    private final DataSource ds;

    public KeyStore(DataSource ds) { this.ds = ds; }

    /** Creates a key and returns it with its secret, the only time the secret exists outside the caller. */
    public record Created(ApiKey key, String secret) {}

    public Created create(String name) { return create(name, KeyLimits.NONE); }

    public Created create(String name, KeyLimits limits) {
        String secret = ApiKeys.newLiveKey();
        ApiKey key = new ApiKey(ApiKeys.newId(), name, ApiKeys.displayPrefix(secret), Instant.now(), null, limits);
        update("INSERT INTO api_keys (id, key_hash, key_prefix, created_at, " + LIMIT_COLUMNS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                concat(new Object[] {key.id(), ApiKeys.sha256(secret), key.prefix(), Timestamp.from(key.createdAt())},
                        limitValues(name, limits)));
        return new Created(key, secret);
    }

    public Optional<ApiKey> find(String id) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id).stream().findFirst();
    }

    /** Renames a key and replaces its limits (one statement); the key as it now is, or empty for an unknown id. */
    public Optional<ApiKey> change(String id, String name, KeyLimits limits) {
        update("UPDATE api_keys SET " + LIMIT_COLUMNS.replace(",", " = ?,") + " = ? WHERE id = ?",
                concat(limitValues(name, limits), new Object[] {id}));
        return find(id);
    }

    private static final String LIMIT_COLUMNS = "name, allowed_models, rpm, tpm, budget_amount, budget_period, expires_at";

    private static Object[] limitValues(String name, KeyLimits l) {
        return new Object[] {name,
                l.models() == null ? null : new String(Json.bytes(l.models()), StandardCharsets.UTF_8),
                l.rpm(), l.tpm(),
                l.budget() == null ? null : l.budget().amount(),
                l.budget() == null ? null : l.budget().period().wireName(),
                l.expiresAt() == null ? null : Timestamp.from(l.expiresAt())};
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public Optional<ApiKey> findByHash(String hash) {
        List<ApiKey> found = query("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", hash);
        return found.stream().findFirst();
    }

    public List<ApiKey> list() {
        return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id");
    }

    public long count() {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_keys");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }

    /** Revokes a key; returns the key as it now is, or empty when no key has that id. */
    public Optional<ApiKey> revoke(String id) {
        update("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", Timestamp.from(Instant.now()), id);
        return find(id);
    }

    public Optional<String> setting(String name) {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT setting_value FROM gateway_settings WHERE setting_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }

    public void putSetting(String name, String value) {
        update("DELETE FROM gateway_settings WHERE setting_name = ?", name);
        update("INSERT INTO gateway_settings (setting_name, setting_value) VALUES (?, ?)", name, value);
    }

    private List<ApiKey> query(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<ApiKey> out = new ArrayList<>();
                while (rs.next()) {
                    Timestamp revoked = rs.getTimestamp(5);
                    out.add(new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            revoked == null ? null : revoked.toInstant(), limits(rs)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }

    private static KeyLimits limits(ResultSet rs) throws SQLException {
        String models = rs.getString(6);
        int rpm = rs.getInt(7);
        Integer rpmOrNull = rs.wasNull() ? null : rpm;
        long tpm = rs.getLong(8);
        Long tpmOrNull = rs.wasNull() ? null : tpm;
        BigDecimal amount = rs.getBigDecimal(9);
        Budget budget = amount == null ? null
                : new Budget(amount, BudgetPeriod.parse(rs.getString(10)).orElse(BudgetPeriod.TOTAL));
        Timestamp expires = rs.getTimestamp(11);
        List<String> patterns = null;
        if (models != null) {
            try {
                patterns = List.of(Json.MAPPER.readValue(models, String[].class));
            } catch (java.io.IOException e) {
                throw new SQLException("api_keys.allowed_models is not a JSON array of strings", e);
            }
        }
        return new KeyLimits(patterns, rpmOrNull, tpmOrNull, budget, expires == null ? null : expires.toInstant());
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
    }
}
