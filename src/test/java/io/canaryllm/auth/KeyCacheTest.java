package io.canaryllm.auth;

import io.canaryllm.core.GatewayError;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key cache on its own clock: the one-second TTL, stale-if-error while the store fails, 503 when nothing is known. */
class KeyCacheTest {
    private static final long SECOND = 1_000_000_000L;
    private volatile boolean down;
    private final AtomicInteger connections = new AtomicInteger();
    private long now = 42 * SECOND;
    private KeyStore store;
    private KeyCache cache;

    @BeforeEach
    void store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:keys-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        InvocationHandler switchable = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                connections.incrementAndGet();
                if (down) throw new SQLTransientConnectionException("canaryllm-store - Connection is not available");
            }
            try {
                return method.invoke(h2, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        };
        store = new KeyStore((DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, switchable));
        cache = new KeyCache(store, () -> now);
    }

    @Test
    void aRevocationAppliesWithinTheTtlWhileTheStoreIsUp() {
        KeyStore.Created k = store.create("a");
        assertTrue(cache.find(k.secret()).orElseThrow().active());
        store.revoke(k.key().id());
        now += SECOND / 2;
        assertTrue(cache.find(k.secret()).orElseThrow().active(), "within the TTL: from memory");
        now += SECOND / 2 + 1;
        assertFalse(cache.find(k.secret()).orElseThrow().active(), "past the TTL: from the store");
    }

    @Test
    void theLastKnownEntryIsServedWhileTheStoreFailsAndOneLookupASecondProbesIt() {
        KeyStore.Created k = store.create("a");
        assertTrue(cache.find(k.secret()).isPresent());
        assertTrue(cache.find("clk_live_unknown").isEmpty());
        down = true;
        now += 2 * SECOND;
        int before = connections.get();
        for (int i = 0; i < 50; i++) {
            assertEquals(k.key().id(), cache.find(k.secret()).orElseThrow().id());
            assertTrue(cache.find("clk_live_unknown").isEmpty(), "an unknown key stays unknown (401), not a 503");
        }
        assertEquals(1, connections.get() - before, "one failed probe, then answers from memory");
        now += SECOND;
        cache.find(k.secret());
        cache.find(k.secret());
        assertEquals(2, connections.get() - before, "the next probe a second later");

        down = false;
        store.revoke(k.key().id()); // (the store is up for this write only)
        down = true;
        now += 5 * 60 * SECOND;
        assertTrue(cache.find(k.secret()).orElseThrow().active(), "still down: the last known entry");
        down = false;
        now += SECOND;
        assertFalse(cache.find(k.secret()).orElseThrow().active(), "back: the store's answer, revocation included");
    }

    @Test
    void noEntryOrATooOldOneIsA503() {
        KeyStore.Created k = store.create("a");
        cache.find(k.secret());
        down = true;
        GatewayError e = assertThrows(GatewayError.class, () -> cache.find("clk_live_never_seen"));
        assertEquals(503, e.status());
        assertEquals("server_error", e.type());
        assertEquals("store_unavailable", e.code());
        assertEquals("1", e.headers().get("retry-after"));
        now += KeyCache.MAX_STALE_NANOS + SECOND;
        assertEquals(503, assertThrows(GatewayError.class, () -> cache.find(k.secret())).status(), "too old to serve");
    }
}
