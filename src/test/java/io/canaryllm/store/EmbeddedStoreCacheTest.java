package io.canaryllm.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded H2 store opens with the small page cache (CANARYLLM_H2_CACHE_KB, default 1024): bench/README.md, RSS. */
class EmbeddedStoreCacheTest {
    @TempDir
    Path dir;

    @Test
    void embeddedStoreUsesTheConfiguredPageCache() throws Exception {
        assertEquals("1024", cacheSizeWith(null));
        assertEquals("4096", cacheSizeWith("4096"));
    }

    private String cacheSizeWith(String kb) throws Exception {
        String before = System.getProperty("CANARYLLM_DATA_DIR");
        System.setProperty("CANARYLLM_DATA_DIR", dir.resolve(kb == null ? "default" : kb).toString());
        if (kb == null) System.clearProperty("CANARYLLM_H2_CACHE_KB");
        else System.setProperty("CANARYLLM_H2_CACHE_KB", kb);
        try (Database db = Database.open(); Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            assertTrue(rs.next(), "H2 names its CACHE_SIZE");
            return rs.getString(1);
        } finally {
            System.clearProperty("CANARYLLM_H2_CACHE_KB");
            if (before == null) System.clearProperty("CANARYLLM_DATA_DIR");
            else System.setProperty("CANARYLLM_DATA_DIR", before);
        }
    }
}
