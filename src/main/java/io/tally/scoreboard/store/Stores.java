package io.tally.scoreboard.store;

import io.tally.redis.RedisTarget;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;

/** The app's two stores and what must be closed with them: in memory, or both on one Redis pool. */
public record Stores(GameStore games, IdempotencyStore idempotency, AutoCloseable resources) implements AutoCloseable {

    public static Stores memory(Clock clock) {
        return new Stores(new MemoryGameStore(), new MemoryIdempotencyStore(clock), () -> { });
    }

    /** Games in Redis, restored from this instance's memory if Redis loses them (checked every {@code checkMillis}). */
    public static Stores redis(RedisTarget endpoint, String prefix, int timeoutMillis, long checkMillis) {
        UnifiedJedis redis = endpoint.connect(timeoutMillis, "tally-app");
        GameStore games = new RecoveringGameStore(new RedisGameStore(redis, endpoint, prefix), 5_000, checkMillis);
        return new Stores(games, new RedisIdempotencyStore(redis, prefix), redis);
    }

    @Override
    public void close() {
        games.close();
        idempotency.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the stores' connections failed: " + e.getMessage(), e);
        }
    }
}
