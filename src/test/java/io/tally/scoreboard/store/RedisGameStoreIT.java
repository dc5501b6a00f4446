package io.tally.scoreboard.store;

import io.tally.redis.RedisTarget;

import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.Side;
import io.tally.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract against a real redis-server; each test gets its own key prefix. */
class RedisGameStoreIT extends GameStoreContract {
    private static RedisServer redis;
    private Stores stores;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void connect() {
        stores = Stores.redis(RedisTarget.parse(redis.url(), false), "t" + UUID.randomUUID().toString().substring(0, 8), 1000, 200);
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
    void gamesRedisLosesArePutBackFromTheInstancesMemoryNewestCopyFirst() throws Exception {
        try (RedisServer volatileRedis = RedisServer.start();
             Stores a = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "r", 500, 100);
             Stores b = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "r", 500, 100)) {
            Game v1 = game("lost", Instant.now());
            assertTrue(a.games().create(v1));
            Game v2 = GameRules.apply(b.games().find("lost").orElseThrow(),
                    new GameEvent.AddPoints(Side.HOME, 3), Instant.now());
            assertTrue(b.games().replace(1, v2)); // a still remembers version 1, b version 2
            Thread.sleep(300); // both have looked at the marker at least once

            volatileRedis.restart(); // empty, as after a restart without persistence

            RedisTarget endpoint = RedisTarget.parse(volatileRedis.url(), false);
            UnifiedJedis client = endpoint.connect(500, "tally-test");
            RedisGameStore raw = new RedisGameStore(client, endpoint, "r"); // no memory of its own
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Optional<Game> back = Optional.empty();
            while (System.nanoTime() < deadline) {
                try {
                    back = raw.find("lost");
                    if (back.isPresent() && back.get().version() == 2) break;
                } catch (StoreUnavailableException notYet) {
                    // Redis is still starting
                }
                Thread.sleep(50);
            }
            assertEquals(Optional.of(v2), back, "the newest copy (from b) is restored");
            assertEquals(v2, a.games().find("lost").orElseThrow());
            assertEquals(1, a.games().list(10).size(), "listed again");
            client.close();
        }
    }

    @Test
    void anUnreachableRedisIsReportedAsUnavailableNotAsMissingGames() throws Exception {
        try (RedisServer doomed = RedisServer.start();
             Stores s = Stores.redis(RedisTarget.parse(doomed.url(), false), "x", 500, 200)) {
            assertTrue(s.games().health().available());
            doomed.kill9();
            assertThrows(StoreUnavailableException.class, () -> s.games().find("a"));
            assertThrows(StoreUnavailableException.class, () -> s.games().create(game("a", Instant.now())));
            assertThrows(StoreUnavailableException.class, () -> s.idempotency().claim("k", "f", Duration.ofSeconds(1)));
            assertFalse(s.games().health().available());
            assertFalse(s.games().health().detail().contains("password"));
        }
    }
}
