package io.tally.scoreboard.store;

import io.tally.redis.RedisTarget;
import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/** The app's stores and what must be closed with them: in memory, or all on one Redis pool. */
public record Stores(GameStore games, IdempotencyStore idempotency, ScorerStore scorers, AutoCloseable resources)
        implements AutoCloseable {

    public static Stores memory(Clock clock) {
        return new Stores(new MemoryGameStore(), new MemoryIdempotencyStore(clock), new MemoryScorerStore(), () -> {});
    }

    /**
     * Games in Redis, restored from the instances' memory if Redis loses them (checked every
     * {@code checkMillis}; offers are taken for {@code restoreMillis} after the loss is noticed).
     */
    public static Stores redis(
            RedisTarget endpoint, String prefix, int timeoutMillis, long checkMillis, long restoreMillis) {
        UnifiedJedis redis = endpoint.connect(timeoutMillis, "tally-app");
        RedisIdempotencyStore idempotency = new RedisIdempotencyStore(redis, prefix);
        GameStore games = new RecoveringGameStore(
                new RedisGameStore(redis, endpoint, prefix), 5_000, checkMillis, restoreMillis, idempotency::offerAll);
        return new Stores(games, idempotency, new RedisScorerStore(redis, prefix), redis);
    }

    /** The restore window that covers every instance noticing a loss: two check intervals and two timeouts. */
    public static long defaultRestoreMillis(long checkMillis, int timeoutMillis) {
        return 2 * checkMillis + 2L * timeoutMillis;
    }

    @Override
    public void close() {
        games.close();
        idempotency.close();
        scorers.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the stores' connections failed: " + e.getMessage(), e);
        }
    }
}
