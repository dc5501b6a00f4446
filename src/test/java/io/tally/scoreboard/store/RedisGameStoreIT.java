package io.tally.scoreboard.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract against a real redis-server; each test gets its own key prefix. */
class RedisGameStoreIT extends GameStoreContract {
    private static LocalRedis redis;
    private Stores stores;

    @BeforeAll
    static void startRedis() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void connect() {
        stores = Stores.redis(RedisEndpoint.parse(redis.url(), false), "t" + UUID.randomUUID().toString().substring(0, 8), 1000);
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

    @Test
    void anUnreachableRedisIsReportedAsUnavailableNotAsMissingGames() throws Exception {
        try (LocalRedis doomed = LocalRedis.start();
             Stores s = Stores.redis(RedisEndpoint.parse(doomed.url(), false), "x", 500)) {
            assertTrue(s.games().health().available());
            doomed.stop();
            assertThrows(StoreUnavailableException.class, () -> s.games().find("a"));
            assertThrows(StoreUnavailableException.class, () -> s.games().create(game("a", Instant.now())));
            assertThrows(StoreUnavailableException.class, () -> s.idempotency().claim("k", "f", java.time.Duration.ofSeconds(1)));
            assertFalse(s.games().health().available());
            assertFalse(s.games().health().detail().contains("password"));
        }
    }
}
