package io.tally.scoreboard;

import io.tally.scoreboard.store.LocalRedis;
import org.junit.jupiter.api.AfterAll;

import java.util.Map;

/** The REST API contract with games, idempotency keys and rooms in a real Redis. */
class RedisApiIT extends ScoreboardApiContract {
    private LocalRedis redis;

    @Override
    Map<String, String> storeSettings() {
        redis = LocalRedis.start();
        return Map.of("REDIS_URL", redis.url(), "TALLY_SAMPLE_GAME", "false");
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) redis.close();
    }
}
