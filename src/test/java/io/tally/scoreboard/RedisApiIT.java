package io.tally.scoreboard;

import io.tally.testing.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The REST API contract with games, idempotency keys and rooms in a real Redis. */
class RedisApiIT extends ScoreboardApiContract {
    private RedisServer redis;

    @Override
    Map<String, String> storeSettings() {
        redis = RedisServer.start();
        return Map.of("REDIS_URL", redis.url(), "TALLY_SAMPLE_GAME", "false");
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) redis.close();
    }
}
