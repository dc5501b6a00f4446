package io.tally.scoreboard.store;

import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;

/** The app's two stores and what must be closed with them: in memory, or both on one Redis pool. */
public record Stores(GameStore games, IdempotencyStore idempotency, AutoCloseable resources) implements AutoCloseable {

    public static Stores memory(Clock clock) {
        return new Stores(new MemoryGameStore(), new MemoryIdempotencyStore(clock), () -> { });
    }

    public static Stores redis(RedisEndpoint endpoint, String prefix, int timeoutMillis) {
        UnifiedJedis redis = endpoint.connect(timeoutMillis);
        return new Stores(new RedisGameStore(redis, endpoint, prefix), new RedisIdempotencyStore(redis, prefix), redis);
    }

    @Override
    public void close() throws Exception {
        games.close();
        idempotency.close();
        resources.close();
    }
}
