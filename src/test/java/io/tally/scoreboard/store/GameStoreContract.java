package io.tally.scoreboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One contract for every GameStore and IdempotencyStore: run against memory and against real Redis. */
abstract class GameStoreContract {
    abstract GameStore games();

    abstract IdempotencyStore idempotency();

    static Game game(String id, Instant created) {
        return new NewGame("football", "Home " + id, "Away " + id, "", GameStatus.LIVE).start(id, created);
    }

    @Test
    void aCreatedGameIsFoundAsStored() {
        Game g = GameRules.apply(game("c1", Instant.now()), new GameEvent.AddPoints(Side.HOME, 2), Instant.now());
        assertTrue(games().create(g));
        assertEquals(g, games().find("c1").orElseThrow());
        assertTrue(games().find("nope").isEmpty());
    }

    @Test
    void anIdCanOnlyBeCreatedOnce() {
        assertTrue(games().create(game("dup", Instant.now())));
        assertFalse(games().create(game("dup", Instant.now())));
    }

    @Test
    void theListIsNewestFirstAndLimited() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        games().create(game("l1", t));
        games().create(game("l2", t.plusSeconds(1)));
        games().create(game("l3", t.plusSeconds(2)));
        List<Game> top = games().list(2);
        assertEquals(List.of("l3", "l2"), top.stream().map(Game::id).toList());
    }

    @Test
    void replaceSucceedsOnlyFromTheExpectedVersion() {
        Game g = game("cas", Instant.now());
        games().create(g);
        Game v2 = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 1), Instant.now());
        assertTrue(games().replace(1, v2));
        Game other = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 5), Instant.now());
        assertFalse(games().replace(1, other), "a writer still on version 1 must not overwrite version 2");
        assertEquals(v2, games().find("cas").orElseThrow());
        assertFalse(games().replace(1, game("ghost", Instant.now())), "no game, nothing replaced");
        assertTrue(games().find("ghost").isEmpty());
    }

    @Test
    void aRecordedWriteIsNeverAppliedTwiceAndATakenBackOneIsForgotten() {
        Game g = game("keyed", Instant.now());
        games().create(g);
        assertTrue(games().applied("keyed", "k1").isEmpty(), "a game stored without records has none");
        Game v2 = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 1), Instant.now());
        assertTrue(games().replace(1, v2, "k1", null));
        assertEquals(java.util.OptionalLong.of(2), games().applied("keyed", "k1"));
        Game v3 = GameRules.apply(v2, new GameEvent.AddPoints(Side.HOME, 1), Instant.now());
        assertFalse(
                games().replace(2, v3, "k1", null),
                "the same write, recorded already, is refused even at the right version");
        assertEquals(v2, games().find("keyed").orElseThrow());
        assertTrue(games().replace(2, v3, "k2", "k1"));
        assertTrue(games().applied("keyed", "k1").isEmpty(), "forgotten");
        assertEquals(java.util.OptionalLong.of(3), games().applied("keyed", "k2"));
        assertTrue(games().applied("keyed", "k").isEmpty(), "a prefix of a key is another key");
    }

    @Test
    void aKeyedCreationIsRecordedSoItsRetryGetsTheFirstGame() {
        Duration keep = Duration.ofMinutes(5);
        assertEquals("made1", games().create(game("made1", Instant.now()), "create-k", keep));
        assertEquals(
                "made1",
                games().create(game("made2", Instant.now()), "create-k", keep),
                "the retry of the same creation gets the game it made");
        assertTrue(games().find("made2").isEmpty(), "and no second game");
        assertEquals("made3", games().create(game("made3", Instant.now()), "create-other", keep));
        assertNull(games().create(game("made3", Instant.now()), "create-third", keep), "an id is still created once");
        assertEquals(
                "made4",
                games().create(game("made4", Instant.now()), "create-third", keep),
                "a refused id records nothing");
    }

    @Test
    void aCreationRecordExpires() throws InterruptedException {
        assertEquals("brief1", games().create(game("brief1", Instant.now()), "create-brief", Duration.ofMillis(100)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String second = "brief1";
        for (int i = 2; second.equals("brief1") && System.nanoTime() < deadline; i++) {
            Thread.sleep(50);
            second = games().create(game("brief" + i, Instant.now()), "create-brief", Duration.ofMillis(100));
        }
        assertNotEquals("brief1", second, "after its time the record is gone and the key creates anew");
    }

    @Test
    void eachGameKeepsItsLastRecordedWrites() {
        Game g = game("kept", Instant.now());
        games().create(g);
        int n = GameStore.APPLIED_KEEP + 3;
        for (int i = 1; i <= n; i++) {
            Game next = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 1), Instant.now());
            assertTrue(games().replace(g.version(), next, "w" + i, null));
            g = next;
        }
        assertTrue(games().applied("kept", "w3").isEmpty(), "the oldest are dropped");
        assertEquals(java.util.OptionalLong.of(5 + 0L), games().applied("kept", "w4"));
        assertEquals(java.util.OptionalLong.of(n + 1L), games().applied("kept", "w" + n));
        Game plain = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 1), Instant.now());
        assertTrue(games().replace(g.version(), plain), "a write without a key keeps the records");
        assertEquals(java.util.OptionalLong.of(n + 1L), games().applied("kept", "w" + n));
    }

    @Test
    void concurrentWritersRetryingOnConflictLoseNoUpdate() throws Exception {
        games().create(game("race", Instant.now()));
        int writers = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Callable<Void>> jobs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                jobs.add(() -> {
                    for (int i = 0; i < each; i++) {
                        while (true) {
                            Game cur = games().find("race").orElseThrow();
                            Game next = GameRules.apply(cur, new GameEvent.AddPoints(Side.HOME, 1), Instant.now());
                            if (games().replace(cur.version(), next)) break;
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs)) f.get();
        } finally {
            pool.shutdownNow();
        }
        Game end = games().find("race").orElseThrow();
        assertEquals(writers * each, end.home().score());
        assertEquals(1 + writers * each, end.version());
    }

    @Test
    void anIdempotencyKeyIsClaimedOnceThenAnswersWithTheStoredResponse() {
        IdempotencyStore s = idempotency();
        assertTrue(s.claim("k1", "fp", Duration.ofSeconds(30)).isEmpty());
        StoredResponse pending = s.claim("k1", "fp", Duration.ofSeconds(30)).orElseThrow();
        assertTrue(pending.isPending());
        s.complete("k1", new StoredResponse("fp", 201, "/api/games/x", "{\"a\":1}\n{\"b\":2}"), Duration.ofMinutes(5));
        StoredResponse done = s.claim("k1", "fp", Duration.ofSeconds(30)).orElseThrow();
        assertEquals(new StoredResponse("fp", 201, "/api/games/x", "{\"a\":1}\n{\"b\":2}"), done);
        s.release("k1");
        assertEquals(
                done, s.claim("k1", "fp", Duration.ofSeconds(30)).orElseThrow(), "a completed record is not released");
        assertTrue(s.claim("k2", "fp", Duration.ofSeconds(30)).isEmpty());
        s.release("k2");
        assertTrue(s.claim("k2", "fp", Duration.ofSeconds(30)).isEmpty(), "a released claim can be claimed again");
    }

    @Test
    void anAbandonedClaimExpires() throws InterruptedException {
        IdempotencyStore s = idempotency();
        assertTrue(s.claim("k2", "fp", Duration.ofMillis(100)).isEmpty());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean reclaimed = false;
        while (!reclaimed && System.nanoTime() < deadline) {
            Thread.sleep(50);
            reclaimed = s.claim("k2", "fp", Duration.ofMillis(100)).isEmpty();
        }
        assertTrue(reclaimed);
    }
}
