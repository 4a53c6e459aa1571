package io.canaryllm.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded H2 store opens with the small page cache (CANARYLLM_H2_CACHE_KB, default 1024) and the short write
 * delay (CANARYLLM_H2_WRITE_DELAY_MS, default 100): bench/README.md, RSS under load.
 */
class EmbeddedStoreSettingsTest {
    @TempDir
    Path dir;

    @Test
    void embeddedStoreUsesTheConfiguredPageCache() throws Exception {
        assertEquals("1024", settingWith("CANARYLLM_H2_CACHE_KB", null, "CACHE_SIZE"));
        assertEquals("4096", settingWith("CANARYLLM_H2_CACHE_KB", "4096", "CACHE_SIZE"));
    }

    @Test
    void embeddedStoreUsesTheConfiguredWriteDelay() throws Exception {
        assertEquals("100", settingWith("CANARYLLM_H2_WRITE_DELAY_MS", null, "WRITE_DELAY"));
        assertEquals("700", settingWith("CANARYLLM_H2_WRITE_DELAY_MS", "700", "WRITE_DELAY"));
    }

    /** H2's own reading of {@code h2Setting} when the store opens with {@code variable} set to {@code value}. */
    private String settingWith(String variable, String value, String h2Setting) throws Exception {
        String before = System.getProperty("CANARYLLM_DATA_DIR");
        System.setProperty("CANARYLLM_DATA_DIR", dir.resolve(h2Setting + "-" + value).toString());
        if (value == null) System.clearProperty(variable);
        else System.setProperty(variable, value);
        try (Database db = Database.open(); Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + h2Setting + "'")) {
            assertTrue(rs.next(), "H2 names its " + h2Setting);
            return rs.getString(1);
        } finally {
            System.clearProperty(variable);
            if (before == null) System.clearProperty("CANARYLLM_DATA_DIR");
            else System.setProperty("CANARYLLM_DATA_DIR", before);
        }
    }
}
