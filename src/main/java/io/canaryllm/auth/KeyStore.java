package io.canaryllm.auth;

import javax.sql.DataSource;
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
    private static final String COLUMNS = "id, name, key_prefix, created_at, revoked_at";
    private final DataSource ds;

    public KeyStore(DataSource ds) { this.ds = ds; }

    /** Creates a key and returns it with its secret, the only time the secret exists outside the caller. */
    public record Created(ApiKey key, String secret) {}

    public Created create(String name) {
        String secret = ApiKeys.newLiveKey();
        ApiKey key = new ApiKey(ApiKeys.newId(), name, ApiKeys.displayPrefix(secret), Instant.now(), null);
        update("INSERT INTO api_keys (id, name, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                key.id(), key.name(), ApiKeys.sha256(secret), key.prefix(), Timestamp.from(key.createdAt()));
        return new Created(key, secret);
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
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id).stream().findFirst();
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
                            revoked == null ? null : revoked.toInstant()));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("key store: " + e.getMessage(), e);
        }
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
