package io.tally.scoreboard.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GameRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T13:00:00Z");

    private static Game fresh() {
        return new NewGame("basketball", "Hawks", "Foxes", "Q1", GameStatus.LIVE).start("g1", NOW);
    }

    @Test
    void aNewGameStartsAtVersionOneWithNilNil() {
        Game g = fresh();
        assertEquals(1, g.version());
        assertEquals(0, g.home().score());
        assertEquals(0, g.away().score());
        assertTrue(g.log().isEmpty());
    }

    @Test
    void pointsAddToTheTeamAndEveryEventRaisesTheVersionAndIsLogged() {
        Game g = GameRules.apply(fresh(), new GameEvent.AddPoints(Side.HOME, 3), NOW);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 2), NOW);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, -1), NOW);
        assertEquals(2, g.home().score());
        assertEquals(2, g.away().score());
        assertEquals(4, g.version());
        assertEquals(3, g.log().size());
        assertEquals(4, g.log().get(2).version());
        assertEquals(-1, g.log().get(2).points());
    }

    @Test
    void settingAScoreReplacesIt() {
        Game g = GameRules.apply(fresh(), new GameEvent.SetScore(Side.AWAY, 17), NOW);
        assertEquals(17, g.away().score());
        assertEquals(17, g.log().get(0).set());
    }

    @Test
    void aScoreCannotGoBelowZero() {
        Rejected r = assertThrows(
                Rejected.class, () -> GameRules.apply(fresh(), new GameEvent.AddPoints(Side.HOME, -1), NOW));
        assertEquals("score-negative", r.code());
    }

    @Test
    void aFinalGameRefusesScoresAndPeriodsUntilItIsLiveAgain() {
        Game g = GameRules.apply(fresh(), new GameEvent.ChangeStatus(GameStatus.FINAL), NOW);
        Game fin = g;
        assertEquals(
                "game-final",
                assertThrows(Rejected.class, () -> GameRules.apply(fin, new GameEvent.AddPoints(Side.HOME, 1), NOW))
                        .code());
        assertEquals(
                "game-final",
                assertThrows(Rejected.class, () -> GameRules.apply(fin, new GameEvent.ChangePeriod("OT"), NOW))
                        .code());
        g = GameRules.apply(g, new GameEvent.ChangeStatus(GameStatus.LIVE), NOW);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 1), NOW);
        assertEquals(1, g.home().score());
    }

    @Test
    void settingTheSameStatusAgainIsRefused() {
        assertEquals(
                "status-unchanged",
                assertThrows(
                                Rejected.class,
                                () -> GameRules.apply(fresh(), new GameEvent.ChangeStatus(GameStatus.LIVE), NOW))
                        .code());
    }

    @Test
    void undoRevertsTheLastEventsOneByOneAndSkipsUndoneOnes() {
        Game g = GameRules.apply(fresh(), new GameEvent.AddPoints(Side.HOME, 2), NOW);
        g = GameRules.apply(g, new GameEvent.ChangePeriod("Q2"), NOW);
        g = GameRules.apply(g, new GameEvent.AddPoints(Side.AWAY, 3), NOW);
        g = GameRules.apply(g, new GameEvent.Undo(), NOW);
        assertEquals(0, g.away().score());
        assertEquals("Q2", g.period());
        g = GameRules.apply(g, new GameEvent.Undo(), NOW);
        assertEquals("Q1", g.period());
        g = GameRules.apply(g, new GameEvent.Undo(), NOW);
        assertEquals(0, g.home().score());
        assertEquals(7, g.version());
        LogEntry last = g.log().get(g.log().size() - 1);
        assertEquals(LogEntry.UNDO, last.type());
        assertEquals(2L, last.undoes());
        assertTrue(g.log().get(0).undone());
        Game done = g;
        assertEquals(
                "nothing-to-undo",
                assertThrows(Rejected.class, () -> GameRules.apply(done, new GameEvent.Undo(), NOW))
                        .code());
    }

    @Test
    void undoRestoresAStatus() {
        Game g = GameRules.apply(fresh(), new GameEvent.ChangeStatus(GameStatus.FINAL), NOW);
        g = GameRules.apply(g, new GameEvent.Undo(), NOW);
        assertEquals(GameStatus.LIVE, g.status());
    }

    @Test
    void theLogKeepsOnlyTheNewestEntries() {
        Game g = fresh();
        for (int i = 0; i < Game.LOG_LIMIT + 10; i++)
            g = GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 1), NOW);
        assertEquals(Game.LOG_LIMIT, g.log().size());
        assertEquals(g.version(), g.log().get(Game.LOG_LIMIT - 1).version());
    }

    @Test
    void eventsAreParsedFromJsonAndMalformedOnesAreExplained() {
        assertEquals(
                new GameEvent.AddPoints(Side.HOME, 2),
                GameEvent.fromJson(Map.of("type", "score", "team", "home", "points", 2L)));
        assertEquals(
                new GameEvent.SetScore(Side.AWAY, 10),
                GameEvent.fromJson(Map.of("type", "score", "team", "away", "set", 10L)));
        assertEquals(
                new GameEvent.ChangePeriod("2nd half"),
                GameEvent.fromJson(Map.of("type", "period", "period", " 2nd half ")));
        assertEquals(
                new GameEvent.ChangeStatus(GameStatus.FINAL),
                GameEvent.fromJson(Map.of("type", "status", "status", "final")));
        assertEquals(new GameEvent.Undo(), GameEvent.fromJson(Map.of("type", "undo")));
        assertThrows(
                InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "score", "team", "left", "points", 1L)));
        assertThrows(
                InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "score", "team", "home", "points", 0L)));
        assertThrows(
                InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "score", "team", "home", "points", 1.5)));
        assertThrows(
                InvalidInput.class,
                () -> GameEvent.fromJson(Map.of("type", "score", "team", "home", "points", 1L, "set", 2L)));
        assertThrows(InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "status", "status", "paused")));
        assertThrows(InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "explode")));
        assertThrows(InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "period", "period", "x".repeat(41))));
    }

    @Test
    void newGamesNeedBothTeamNamesWithoutControlCharacters() {
        assertThrows(InvalidInput.class, () -> NewGame.fromJson(Map.of("home", "A")));
        assertThrows(InvalidInput.class, () -> NewGame.fromJson(Map.of("home", "  ", "away", "B")));
        assertThrows(InvalidInput.class, () -> NewGame.fromJson(Map.of("home", "A\u0000", "away", "B")));
        NewGame n = NewGame.fromJson(Map.of("home", "<img src=x onerror=alert(1)>", "away", "B"));
        assertEquals("<img src=x onerror=alert(1)>", n.home().name());
        assertEquals(GameStatus.SCHEDULED, n.status());
    }

    @Test
    void theStoredJsonFormReadsBackAsTheSameGame() {
        Game g = GameRules.apply(fresh(), new GameEvent.AddPoints(Side.HOME, 2), NOW);
        g = GameRules.apply(g, new GameEvent.ChangeStatus(GameStatus.FINAL), NOW);
        g = GameRules.apply(g, new GameEvent.Undo(), NOW);
        g = GameRules.apply(g, new GameEvent.ChangePeriod("Q4"), NOW);
        String json = io.tally.json.JsonWriter.write(GameJson.full(g));
        Game back = GameJson.read(io.tally.json.Json.parseObject(json, 16));
        assertEquals(g, back);
    }
}
