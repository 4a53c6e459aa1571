package io.canaryllm.responses;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Stored Responses over JDBC (H2 or PostgreSQL), each visible only to the key that made it. */
public final class ResponseStore {
    private final DataSource ds;
    private final Duration retention;

    /** What a stored response keeps: the input it answered (JSON array) and the response object (JSON). */
    public record Stored(String inputItems, String response) {}

    public ResponseStore(DataSource ds, Duration retention) {
        this.ds = ds;
        this.retention = retention;
    }

    public void save(String id, String keyId, String inputItems, String response) {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO stored_responses (id, key_id, created_at, expires_at, input_items, response) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, keyId);
            s.setTimestamp(3, Timestamp.from(now));
            s.setTimestamp(4, Timestamp.from(now.plus(retention)));
            s.setString(5, inputItems);
            s.setString(6, response);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("response store: " + e.getMessage(), e);
        }
    }

    /** The response if it exists, belongs to this key and has not expired. */
    public Optional<Stored> find(String id, String keyId) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT input_items, response FROM stored_responses WHERE id = ? AND key_id = ? AND expires_at > ?")) {
            s.setString(1, id);
            s.setString(2, keyId);
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("response store: " + e.getMessage(), e);
        }
    }

    public boolean delete(String id, String keyId) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM stored_responses WHERE id = ? AND key_id = ?")) {
            s.setString(1, id);
            s.setString(2, keyId);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("response store: " + e.getMessage(), e);
        }
    }
}
