package io.canaryllm.limits;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counters in Redis ({@code CANARYLLM_REDIS_URL}, Redis 7 or newer), shared by every replica so that they enforce
 * one limit together. A batch is one pipeline (one round trip); values stay Redis integers end to end (INCRBY,
 * {@code EXPIRE … NX} for the expiry of a new counter), so spend counted in 10^-12 dollars never passes through a
 * Lua double. A seed is written with {@code SET NX}: replicas that seed the same counter at once agree on one value.
 */
public final class RedisCounters implements Counters {
    private static final String PREFIX = "canaryllm:";
    // INCRBY only on an existing counter; the amount stays a string argument, the answer is 1 or 0
    private static final String ADD_IF_PRESENT = """
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1]) return 1 end
            return 0""";
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
    public long[] batch(List<Op> ops) {
        List<Response<?>> answers = new ArrayList<>(ops.size());
        try (AbstractPipeline p = redis.pipelined()) {
            for (Op op : ops) {
                String key = PREFIX + op.name();
                switch (op) {
                    case Read r -> answers.add(p.get(key));
                    case Add a -> {
                        answers.add(p.incrBy(key, a.n()));
                        if (a.ttlSeconds() > 0) p.expire(key, a.ttlSeconds(), ExpiryOption.NX);
                    }
                    case AddIfPresent a -> answers.add(p.eval(ADD_IF_PRESENT, List.of(key), List.of(Long.toString(a.n()))));
                }
            }
            p.sync();
        }
        long[] out = new long[ops.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = answers.get(i).get();
            out[i] = switch (ops.get(i)) {
                case Read r -> v == null ? ABSENT : Long.parseLong((String) v);
                case Add a -> (Long) v;
                case AddIfPresent a -> ((Long) v) == 1 ? 0 : ABSENT;
            };
        }
        return out;
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
