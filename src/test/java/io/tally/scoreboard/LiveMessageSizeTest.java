package io.tally.scoreboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import io.tally.realtime.broker.Message;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.GameStatus;
import io.tally.scoreboard.game.LogEntry;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Side;
import io.tally.scoreboard.game.Team;
import io.tally.scoreboard.store.MemoryGameStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A live score message is the change, not the world: its size does not grow with the game's log. */
class LiveMessageSizeTest {
    private static final int KIB = 1024;
    // A Redis-mode position (stream id offset), the longest the core hands out.
    private static final Position POSITION = new Position("k3v9q2x7", "1764620000000-12");

    /** The message frame one viewer receives (the core's own encoding), in bytes. */
    private static int frameBytes(String room, String payload) {
        return new Message(room, POSITION, payload).frame().getBytes(StandardCharsets.UTF_8).length;
    }

    private static Game gameWithLog(int entries) {
        Instant t = Instant.parse("2026-12-01T20:00:00Z");
        List<LogEntry> log = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            log.add(new LogEntry(
                    i + 2,
                    t.toString(),
                    LogEntry.SCORE,
                    Side.HOME,
                    3,
                    null,
                    3 * (i + 1),
                    null,
                    null,
                    null,
                    3 * i,
                    false));
        }
        return new Game(
                "k2m4x9",
                "basketball",
                new Team("Harbour City Hawks", 98),
                new Team("Northside Lions", 97),
                "4th quarter",
                GameStatus.LIVE,
                600,
                t.toString(),
                t.toString(),
                log);
    }

    @Test
    void theEncodedScoreMessageIsUnderOneKibAndTheSameSizeWhateverTheLogLength() {
        int[] sizes = new int[3];
        int[] logLengths = {0, 50, 500};
        for (int i = 0; i < logLengths.length; i++) {
            Game before = gameWithLog(logLengths[i]);
            Game after = GameRules.apply(
                    before, new GameEvent.AddPoints(Side.AWAY, 2), Instant.parse("2026-12-01T20:41:07.123Z"));
            LogEntry added = after.log().get(after.log().size() - 1);
            String payload = JsonWriter.write(Scorekeeper.gamePayload(after, added));
            sizes[i] = frameBytes(after.room(), payload);
            assertFalse(payload.contains("\"log\""), payload);
        }
        assertEquals(sizes[0], sizes[1], "50-entry log");
        assertEquals(sizes[0], sizes[2], "500-entry log");
        assertTrue(sizes[0] < KIB, sizes[0] + " bytes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void throughTheScorekeeperTheFiveHundredthScoreIsUnderOneKibAndAnUndoNamesWhatItUndoes() {
        ScorekeeperTest.RecordingFeed feed = new ScorekeeperTest.RecordingFeed();
        Scorekeeper keeper = new Scorekeeper(new MemoryGameStore(), feed, Clock.systemUTC());
        Game g = keeper.create(
                        new NewGame("basketball", "Harbour City Hawks", "Northside Lions", "Q1", GameStatus.LIVE))
                .game();
        for (int i = 0; i < 500; i++)
            keeper.apply(g.id(), new GameEvent.AddPoints(i % 2 == 0 ? Side.HOME : Side.AWAY, 1), OptionalLong.empty());
        String score = feed.payloads.get(feed.payloads.size() - 2); // the game's room; the last is the board's
        assertEquals(g.room(), feed.rooms.get(feed.rooms.size() - 2));
        assertTrue(frameBytes(g.room(), score) < KIB, score);
        assertTrue(frameBytes("games", feed.payloads.get(feed.payloads.size() - 1)) < KIB);

        keeper.apply(g.id(), new GameEvent.Undo(), OptionalLong.empty());
        Map<String, Object> undo = (Map<String, Object>) Json.parse(feed.payloads.get(feed.payloads.size() - 2));
        Map<String, Object> event = (Map<String, Object>) undo.get("event");
        Map<String, Object> game = (Map<String, Object>) undo.get("game");
        assertEquals("undo", event.get("type"));
        assertEquals(501L, event.get("undoes"), "the 500th score produced version 501");
        assertEquals(502L, game.get("version"));
        assertEquals(249L, ((Map<String, Object>) game.get("away")).get("score"), "the away score is back");
        assertFalse(game.containsKey("log"));
    }
}
