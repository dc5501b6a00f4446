package io.tally.scoreboard;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import io.tally.scoreboard.store.MemoryGameStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return keeper.create(new NewGame("rugby", "Reds", "Blues", "", GameStatus.LIVE)).game();
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
        assertThrows(UnavailableException.class, () -> keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty()));
        Game afterFailure = store.find(g.id()).orElseThrow();
        assertEquals(0, afterFailure.home().score());
        assertEquals(3, afterFailure.version(), "restored content under a version never shown before");
        feed.down = false;
        Game retried = keeper.apply(g.id(), new GameEvent.AddPoints(Side.HOME, 5), OptionalLong.empty()).game();
        assertEquals(5, retried.home().score());
    }

    @Test
    void aStaleVersionIsAConflictCarryingTheCurrentGame() {
        Game g = newGame();
        keeper.apply(g.id(), new GameEvent.AddPoints(Side.AWAY, 1), OptionalLong.of(1));
        Conflict c = assertThrows(Conflict.class, () -> keeper.apply(g.id(), new GameEvent.AddPoints(Side.AWAY, 1), OptionalLong.of(1)));
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
