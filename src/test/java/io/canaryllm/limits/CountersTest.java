package io.canaryllm.limits;

import io.canaryllm.testing.Services;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter contract, held by both stores: memory always, Redis when it answers on 127.0.0.1:6379 (else skipped). */
class CountersTest {
    private static final String REDIS_URL = Services.REDIS_URL;

    @Test
    void memoryCounters() { contract(new MemoryCounters(), "t" + UUID.randomUUID()); }

    @Test
    void redisCounters() {
        Services.assumeRedis();
        String prefix = "t" + UUID.randomUUID();
        try (RedisCounters counters = new RedisCounters(REDIS_URL); RedisClient redis = RedisClient.create(URI.create(REDIS_URL))) {
            contract(counters, prefix);
            long ttl = redis.ttl("canaryllm:" + prefix + ":rate");
            assertTrue(ttl > 0 && ttl <= 120, "a new counter gets its expiry, a later add keeps it: " + ttl);
            assertEquals(-1, redis.ttl("canaryllm:" + prefix + ":total"), "a total never expires");
            for (String k : redis.keys("canaryllm:" + prefix + ":*")) redis.del(k);
        }
    }

    private static void contract(Counters c, String p) {
        String rate = p + ":rate", spend = p + ":spend", total = p + ":total";
        assertArrayEquals(new long[] {Counters.ABSENT, Counters.ABSENT}, c.batch(List.of(new Counters.Read(rate), new Counters.AddIfPresent(spend, 5))));
        assertArrayEquals(new long[] {Counters.ABSENT}, c.batch(List.of(new Counters.Read(spend))), "add-if-present created nothing");
        assertArrayEquals(new long[] {1, 3, 3}, c.batch(List.of(new Counters.Add(rate, 1, 120), new Counters.Add(rate, 2, 120),
                new Counters.Read(rate))));
        assertEquals(7, c.getOrSeed(spend, () -> 7, 60));
        assertEquals(7, c.getOrSeed(spend, () -> 99, 60), "a seed applies once");
        assertArrayEquals(new long[] {0, 12}, c.batch(List.of(new Counters.AddIfPresent(spend, 5), new Counters.Read(spend))));
        // spend counts 10^-12 dollars: a million dollars is 10^18 units, past a double's 2^53, and must stay exact
        long million = 1_000_000_000_000_000_000L;
        assertEquals(million, c.getOrSeed(total, () -> million, 0));
        assertArrayEquals(new long[] {0, million + 1}, c.batch(List.of(new Counters.AddIfPresent(total, 1), new Counters.Read(total))));
        c.delete(spend);
        assertArrayEquals(new long[] {Counters.ABSENT}, c.batch(List.of(new Counters.Read(spend))));
    }
}
