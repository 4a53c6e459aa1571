package io.canaryllm.limits;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counters in Redis ({@code CANARYLLM_REDIS_URL}), shared by every replica so that they enforce one limit together.
 * An increment and its expiry are one atomic script; a seed is written with {@code SET NX}, so replicas that seed
 * the same counter at once agree on one value.
 */
public final class RedisCounters implements Counters {
    private static final String PREFIX = "canaryllm:";
    // INCRBY, and an expiry for a counter this call created
    private static final String ADD = """
            local v = redis.call('INCRBY', KEYS[1], ARGV[1])
            if v == tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
            return v""";
    private final RedisClient redis;
    private final String url;

    public RedisCounters(String url) {
        this.url = url;
        URI uri = URI.create(url);
        // every call site is a request on its own virtual thread: a bounded pool and short waits, so a slow or
        // absent Redis costs a request at most a second or two (and Limits lets it through) instead of hanging it
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(Duration.ofSeconds(1));
        this.redis = RedisClient.builder().fromURI(uri)
                .clientConfig(DefaultJedisClientConfig.builder(uri).connectionTimeoutMillis(1000).socketTimeoutMillis(1000).build())
                .poolConfig(pool).build();
    }

    @Override
    public long add(String name, long n, long ttlSeconds) {
        Object v = redis.eval(ADD, List.of(PREFIX + name), List.of(Long.toString(n), Long.toString(ttlSeconds)));
        return (Long) v;
    }

    @Override
    public long get(String name) {
        String v = redis.get(PREFIX + name);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public long getOrSeed(String name, LongSupplier seed, long ttlSeconds) {
        String key = PREFIX + name;
        String v = redis.get(key);
        if (v != null) return Long.parseLong(v);
        SetParams params = SetParams.setParams().nx();
        if (ttlSeconds > 0) params.ex(ttlSeconds);
        redis.set(key, Long.toString(seed.getAsLong()), params);
        v = redis.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public void delete(String name) { redis.del(PREFIX + name); }

    @Override
    public String describe() { return "redis " + url.replaceAll("//[^@/]*@", "//***@"); }

    @Override
    public void close() { redis.close(); }
}
