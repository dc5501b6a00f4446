package io.tally.scoreboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import io.tally.scoreboard.store.GameStore;
import io.tally.scoreboard.store.MemoryGameStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The write path's ordering and failure rules, over a room feed that records (or refuses) publishes. */
class ScorekeeperTest {
    /** A room feed that keeps what was published and can be switched off like a broker outage. */
    static final class RecordingFeed implements RoomFeed {
        final List<String> rooms = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        boolean down;

        @Override
        public Position publish(String room, String payloadJson) {
            if (down) throw new UnavailableException("broker down");
            rooms.add(room);
            payloads.add(payloadJson);
            return new Position("e1", Integer.toString(rooms.size()));
        }

        @Override
        public Position tip(String room) {
            if (down) throw new UnavailableException("broker down");
            return new Position("e1", Integer.toString(rooms.size()));
        }
    }

    private final MemoryGameStore store = new MemoryGameStore();
    private final RecordingFeed feed = new RecordingFeed();
    private final Scorekeeper keeper = new Scorekeeper(store, feed, Clock.systemUTC());

    private Game newGame() {
        return keeper.create(new NewGame("rugby", "Reds", "Blues", "", GameStatus.LIVE))
                .game();
    }

    @Test
    void everyEventIsPublishedToTheGamesRoomAndTheGamesBoardAsTheChangeAndTheSummary() {
        Game g = newGame();
        keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty());
        assertEquals(List.of(g.room(), "games", g.room(), "games"), feed.rooms);
        assertTrue(feed.payloads.get(2).contains("\"kind\":\"event\""));
        assertTrue(feed.payloads.get(2).contains("\"version\":2"));
        assertTrue(feed.payloads.get(2).contains("\"event\":{\"version\":2,"), feed.payloads.get(2));
        assertTrue(!feed.payloads.get(2).contains("\"log\""), "the game's room gets the change, not the log");
        assertTrue(!feed.payloads.get(3).contains("\"log\""), "the board gets summaries");
    }

    @Test
    void whenPublishingFailsTheChangeIsTakenBackUnderANewVersionAndTheRetryAppliesOnce() {
        Game g = newGame();
        feed.down = true;
        assertThrows(
                UnavailableException.class,
                () -> keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty()));
        Game afterFailure = store.find(g.id()).orElseThrow();
        assertEquals(0, afterFailure.home().score());
        assertEquals(3, afterFailure.version(), "restored content under a version never shown before");
        feed.down = false;
        Game retried = keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty())
                .game();
        assertEquals(5, retried.home().score());
    }

    @Test
    void aKeyedWriteWhoseStoreReplyWasLostIsNotAppliedAgainByItsRetry() {
        // The store applies the write, then the connection drops before the reply: the caller sees 503.
        MemoryGameStore inner = new MemoryGameStore();
        boolean[] loseNextReply = {false};
        GameStore lossy = new GameStore() {
            public java.util.Optional<Game> find(String id) {
                return inner.find(id);
            }

            public List<Game> list(int limit) {
                return inner.list(limit);
            }

            public String create(Game game, String record, java.time.Duration keep) {
                return inner.create(game, record, keep);
            }

            public boolean replace(long expected, Game next, String record, String forget) {
                boolean r = inner.replace(expected, next, record, forget);
                if (loseNextReply[0]) {
                    loseNextReply[0] = false;
                    throw new io.tally.scoreboard.store.StoreUnavailableException("reply lost", null);
                }
                return r;
            }

            public OptionalLong applied(String id, String key) {
                return inner.applied(id, key);
            }

            public io.tally.scoreboard.store.StoreHealth health() {
                return inner.health();
            }

            public void close() {}
        };
        Scorekeeper k = new Scorekeeper(lossy, feed, Clock.systemUTC());
        Game g = k.create(new NewGame("rugby", "Reds", "Blues", "", GameStatus.LIVE))
                .game();
        loseNextReply[0] = true;
        assertThrows(
                io.tally.scoreboard.store.StoreUnavailableException.class,
                () -> k.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-1"));
        Scorekeeper.Applied retry =
                k.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-1");
        assertTrue(retry.already());
        assertEquals(OptionalLong.of(2), retry.earlier());
        assertEquals(5, retry.snapshot().game().home().score(), "applied once");
        assertEquals(2, inner.find(g.id()).orElseThrow().version());
    }

    @Test
    void aKeyedWriteRunAgainAfterItsClaimExpiredChangesNothingAndAnswersTheCurrentGame() {
        Game g = newGame();
        keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-2");
        keeper.apply(g.id(), new GameEvent.AddPoints(Side.AWAY, 3), OptionalLong.empty());
        int published = feed.payloads.size();
        Scorekeeper.Applied again =
                keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.of(1), "key-2");
        assertTrue(again.already(), "found in the game's record before If-Match or the rules are looked at");
        assertEquals(OptionalLong.of(2), again.earlier());
        assertEquals(3, again.snapshot().game().version(), "the current game");
        assertEquals(5, again.snapshot().game().home().score());
        assertEquals(published, feed.payloads.size(), "nothing published again");
    }

    @Test
    void aGameCreationRunAgainAfterItsClaimExpiredReturnsTheFirstGame() {
        // The first run created the game and lost its answer; the key's claim expired; the retry runs.
        NewGame request = new NewGame("rugby", "Reds", "Blues", "", GameStatus.LIVE);
        Scorekeeper.Created first = keeper.create(request, "create-1", java.time.Duration.ofHours(1));
        Scorekeeper.Created retry = keeper.create(request, "create-1", java.time.Duration.ofHours(1));
        assertFalse(first.already());
        assertTrue(retry.already());
        assertEquals(first.snapshot().game().id(), retry.snapshot().game().id());
        assertEquals(1, store.list(10).size(), "one game, not two");
        assertEquals(1, feed.rooms.stream().filter("games"::equals).count(), "announced once");
        Scorekeeper.Created other = keeper.create(request, "create-2", java.time.Duration.ofHours(1));
        assertNotEquals(first.snapshot().game().id(), other.snapshot().game().id(), "another key, another game");
    }

    @Test
    void aKeyedWriteTakenBackBecauseItCouldNotBePublishedIsAppliedByItsRetry() {
        Game g = newGame();
        feed.down = true;
        assertThrows(
                UnavailableException.class,
                () -> keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-3"));
        feed.down = false;
        Scorekeeper.Applied retry =
                keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty(), "key-3");
        assertFalse(retry.already());
        assertEquals(5, retry.snapshot().game().home().score());
    }

    @Test
    void aStaleVersionIsAConflictCarryingTheCurrentGame() {
        Game g = newGame();
        keeper.apply(g.id(), new GameEvent.AddPoints(Side.AWAY, 1), OptionalLong.of(1));
        Conflict c = assertThrows(
                Conflict.class, () -> keeper.apply(g.id(), new GameEvent.AddPoints(Side.AWAY, 1), OptionalLong.of(1)));
        assertEquals("version-mismatch", c.code());
        assertEquals(2, c.current().version());
    }

    @Test
    void aSnapshotReadsTheRoomTipBeforeTheGame() {
        Game g = newGame();
        Scorekeeper.Snapshot s = keeper.snapshot(g.id());
        assertEquals("2", s.position().offset(), "both publishes of the creation are before the tip");
        assertThrows(GameNotFound.class, () -> keeper.snapshot("missing"));
        assertThrows(GameNotFound.class, () -> keeper.snapshot("../etc"));
    }
}
