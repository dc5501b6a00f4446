package io.tally.scoreboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.redis.RedisTarget;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.Side;
import io.tally.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        stores = Stores.redis(
                RedisTarget.parse(redis.url(), false),
                "t" + UUID.randomUUID().toString().substring(0, 8),
                1000,
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

    @Test
    void afterRedisLosesItsDataTheNewestCopyAnyInstanceOffersWinsAndNothingIsAnsweredBeforeTheWindowCloses()
            throws Exception {
        try (RedisServer volatileRedis = RedisServer.start();
                Stores a = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "r", 500, 100, 1500);
                Stores b = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "r", 500, 100, 1500)) {
            Game v1 = game("lost", Instant.now());
            assertTrue(a.games().create(v1));
            Game v2 = GameRules.apply(
                    b.games().find("lost").orElseThrow(), new GameEvent.AddPoints(Side.HOME, 3), Instant.now());
            assertTrue(b.games().replace(1, v2)); // a remembers version 1, b version 2
            ((RecoveringGameStore) a.games()).check(); // both know the store's epoch
            ((RecoveringGameStore) b.games()).check();

            volatileRedis.restart(); // empty, as after a restart without persistence

            // a notices first (on a read): it opens the restore window and offers its older copy,
            // which is neither served nor written on while b may still offer a newer one.
            StoreUnavailableException first = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    a.games().find("lost");
                    break;
                } catch (StoreRestoringException restoring) {
                    first = restoring;
                    break;
                } catch (StoreUnavailableException notYet) {
                    Thread.sleep(20); // Redis is still starting, or a's connection is reconnecting
                }
            }
            assertTrue(
                    first instanceof StoreRestoringException,
                    "a read during the restore window is refused, not answered with v1");
            ((RecoveringGameStore) a.games()).check(); // a's offers (v1) are in, whether or not its checker ran yet
            Game onV1 = GameRules.apply(v1, new GameEvent.AddPoints(Side.AWAY, 1), Instant.now());
            assertThrows(
                    StoreRestoringException.class,
                    () -> a.games().replace(1, onV1),
                    "no write on a restored copy in the window");

            Optional<Game> back = Optional.empty();
            while (System.nanoTime() < deadline && back.isEmpty()) {
                try {
                    back = a.games().find("lost");
                } catch (StoreRestoringException stillOpen) {
                    Thread.sleep(50);
                }
            }
            assertEquals(Optional.of(v2), back, "the newest copy (from b) won");
            assertEquals(v2, b.games().find("lost").orElseThrow());
            assertEquals(1, a.games().list(10).size(), "listed again");
            assertFalse(a.games().replace(1, onV1), "a write based on the older copy loses the compare-and-set");
        }
    }

    @Test
    void aGameRestoredAfterRedisLostItsDataKeepsTheWritesRecordedWithIt() throws Exception {
        try (RedisServer volatileRedis = RedisServer.start();
                Stores a = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "w", 500, 100, 800);
                Stores b = Stores.redis(RedisTarget.parse(volatileRedis.url(), false), "w", 500, 100, 800)) {
            Game v1 = game("rec", Instant.now());
            assertTrue(b.games().create(v1));
            Game v2 = GameRules.apply(v1, new GameEvent.AddPoints(Side.HOME, 3), Instant.now());
            assertTrue(b.games().replace(1, v2, "written-by-b", null)); // b then dies; a only read the game
            assertEquals(v2, a.games().find("rec").orElseThrow());
            ((RecoveringGameStore) a.games()).check();
            b.close();

            volatileRedis.restart(); // empty

            java.util.OptionalLong back = java.util.OptionalLong.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && back.isEmpty()) {
                try {
                    a.games().find("rec"); // a notices, offers its copy and its records
                    back = a.games().applied("rec", "written-by-b");
                } catch (StoreUnavailableException notYet) {
                    Thread.sleep(50);
                }
            }
            assertEquals(java.util.OptionalLong.of(2), back, "the record came back with the game");
        }
    }

    @Test
    void aFirstStartOnAnEmptyRedisOpensNoRestoreWindow() throws Exception {
        try (RedisServer fresh = RedisServer.start();
                Stores s = Stores.redis(RedisTarget.parse(fresh.url(), false), "f", 500, 100, 60_000)) {
            assertEquals(Optional.empty(), s.games().find("nothing"), "an unknown game is simply not found");
            Game g = game("new", Instant.now());
            assertTrue(s.games().create(g));
            assertTrue(s.games().replace(1, GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 1), Instant.now())));
        }
    }

    @Test
    void anUnreachableRedisIsReportedAsUnavailableNotAsMissingGames() throws Exception {
        try (RedisServer doomed = RedisServer.start();
                Stores s = Stores.redis(RedisTarget.parse(doomed.url(), false), "x", 500, 200, 2000)) {
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
