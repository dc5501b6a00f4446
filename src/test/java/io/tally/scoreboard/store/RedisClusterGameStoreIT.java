package io.tally.scoreboard.store;

import io.tally.redis.RedisTarget;
import io.tally.testing.RedisCluster;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on a three-master Redis Cluster: the {games} hash tag keeps the scripts on one slot. */
class RedisClusterGameStoreIT extends GameStoreContract {
    private static RedisCluster cluster;
    private Stores stores;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void connect() {
        stores = Stores.redis(
                RedisTarget.parse(cluster.url(), true),
                "t" + UUID.randomUUID().toString().substring(0, 8),
                2000,
                200,
                2000);
    }

    @AfterEach
    void disconnect() throws Exception {
        stores.close();
    }

    @Override
    GameStore games() {
        return stores.games();
    }

    @Override
    IdempotencyStore idempotency() {
        return stores.idempotency();
    }
}
