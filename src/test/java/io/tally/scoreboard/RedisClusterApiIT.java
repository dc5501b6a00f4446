package io.tally.scoreboard;

import io.tally.testing.RedisCluster;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The REST API contract with games, idempotency keys and rooms on a three-master Redis Cluster. */
class RedisClusterApiIT extends ScoreboardApiContract {
    private RedisCluster cluster;

    @Override
    Map<String, String> storeSettings() {
        cluster = RedisCluster.start();
        return Map.of("REDIS_URL", cluster.url(), "TALLY_SAMPLE_GAME", "false");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) cluster.close();
    }
}
