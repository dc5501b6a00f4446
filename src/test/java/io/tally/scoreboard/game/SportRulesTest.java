package io.tally.scoreboard.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The presets' scoring rules, sets, the game clock and the stored form of it all. */
class SportRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-02T19:00:00Z");

    private static Game game(String sport, GameStatus status) {
        return NewGame.fromJson(Map.of("sport", sport, "home", "Home", "away", "Away", "status", status.wire()))
                .start("g1", NOW);
    }

    private static Game points(Game g, Side side, int n) {
        for (int i = 0; i < n; i++) g = GameRules.apply(g, new GameEvent.Point(side), NOW);
        return g;
    }

    private static Rejected refused(Game g, GameEvent e) {
        return assertThrows(Rejected.class, () -> GameRules.apply(g, e, NOW));
    }

    private static Game readBack(Game g) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(JsonWriter.write(GameJson.full(g)), 16);
        return GameJson.read(m);
    }

    @Test
    void everyPresetIsListedWithButtonsPeriodsAndItsClock() {
        assertEquals(
                List.of("basketball", "soccer", "hockey", "american-football", "volleyball", "tennis", "custom"),
                Sports.ids());
        assertEquals(List.of(6, 3, 2, 1), Sports.of("american-football").buttons());
        assertEquals(GameClock.Direction.UP, Sports.of("soccer").clock().direction());
        assertEquals(600_000L, Sports.of("basketball").clock().periodMs());
        assertNull(Sports.of("tennis").clock());
        assertTrue(Sports.of("volleyball").hasSets());
        Map<String, Object> listed = GameJson.sport(Sports.of("hockey"));
        assertEquals(List.of(1), listed.get("buttons"));
        assertEquals(false, listed.get("sets"));
    }

    @Test
    void eachSportAcceptsOnlyItsOwnPointValues() {
        Game soccer = game("soccer", GameStatus.LIVE);
        Rejected r = refused(soccer, new GameEvent.AddPoints(Side.HOME, 3));
        assertEquals(422, r.status());
        assertEquals("points-not-allowed", r.code());
        assertTrue(r.getMessage().contains("1 at a time"), r.getMessage());
        assertEquals(
                1,
                GameRules.apply(soccer, new GameEvent.AddPoints(Side.HOME, 1), NOW)
                        .home()
                        .score());
        Game nfl = game("american-football", GameStatus.LIVE);
        nfl = GameRules.apply(nfl, new GameEvent.AddPoints(Side.AWAY, 6), NOW);
        nfl = GameRules.apply(nfl, new GameEvent.AddPoints(Side.AWAY, 1), NOW);
        assertEquals(7, nfl.away().score());
        assertEquals(422, refused(nfl, new GameEvent.AddPoints(Side.AWAY, 4)).status());
        assertEquals(
                4,
                GameRules.apply(nfl, new GameEvent.AddPoints(Side.AWAY, -3), NOW)
                        .away()
                        .score(),
                "a correction");
        assertEquals(
                17,
                GameRules.apply(game("custom", GameStatus.LIVE), new GameEvent.AddPoints(Side.HOME, 17), NOW)
                        .home()
                        .score());
    }

    @Test
    void nothingIsScoredBeforeTheGameStartsOrAfterItIsFinal() {
        Rejected early = refused(game("basketball", GameStatus.SCHEDULED), new GameEvent.AddPoints(Side.HOME, 2));
        assertEquals(409, early.status());
        assertEquals("game-not-started", early.code());
        assertEquals(
                "game-final",
                refused(game("basketball", GameStatus.FINAL), new GameEvent.AddPoints(Side.HOME, 2))
                        .code());
        assertEquals(
                "game-not-started",
                refused(game("volleyball", GameStatus.SCHEDULED), new GameEvent.Point(Side.HOME))
                        .code());
        Game onBreak = game("basketball", GameStatus.BREAK);
        assertEquals(
                2,
                GameRules.apply(onBreak, new GameEvent.AddPoints(Side.HOME, 2), NOW)
                        .home()
                        .score(),
                "a correction at half time");
    }

    @Test
    void setSportsScorePointsAndTotalsSportsScores() {
        assertEquals(
                "scored-by-points",
                refused(game("volleyball", GameStatus.LIVE), new GameEvent.AddPoints(Side.HOME, 1))
                        .code());
        assertEquals(
                "not-a-set-sport",
                refused(game("hockey", GameStatus.LIVE), new GameEvent.Point(Side.HOME))
                        .code());
    }

    @Test
    void volleyballWinsASetAt25ByTwoAndTheFifthAt15() {
        Game g = game("volleyball", GameStatus.LIVE);
        assertEquals(List.of(GameSet.EMPTY), g.sets());
        assertEquals("Set 1", g.period());
        g = points(g, Side.AWAY, 24);
        g = points(g, Side.HOME, 24);
        g = points(g, Side.HOME, 1);
        assertEquals(new GameSet(25, 24), g.sets().get(0), "25-24 is not a set");
        g = points(g, Side.HOME, 1);
        assertEquals(List.of(new GameSet(26, 24), GameSet.EMPTY), g.sets());
        assertEquals(1, g.home().score());
        assertEquals("Set 2", g.period());
        g = points(g, Side.AWAY, 25);
        g = points(g, Side.HOME, 25);
        g = points(g, Side.AWAY, 25);
        assertEquals(2, g.home().score());
        assertEquals(2, g.away().score());
        assertEquals("Set 5", g.period());
        g = points(g, Side.HOME, 14);
        g = points(g, Side.AWAY, 14);
        g = points(g, Side.HOME, 1);
        assertEquals(GameStatus.LIVE, g.status());
        g = points(g, Side.HOME, 1);
        assertEquals(new GameSet(16, 14), g.sets().get(4));
        assertEquals(5, g.sets().size(), "no sixth set");
        assertEquals(3, g.home().score());
        assertEquals(GameStatus.FINAL, g.status(), "the match is won");
        assertEquals("game-final", refused(g, new GameEvent.Point(Side.AWAY)).code());

        Game undone = GameRules.apply(g, new GameEvent.Undo(), NOW);
        assertEquals(GameStatus.LIVE, undone.status());
        assertEquals(new GameSet(15, 14), undone.sets().get(4));
        assertEquals(2, undone.home().score());
        assertEquals(undone.sets(), readBack(undone).sets());
        assertEquals(undone, readBack(undone));
    }

    @Test
    void tennisCountsGamesWithDeuceAndAdvantageAndSetsWithATiebreak() {
        Game g = game("tennis", GameStatus.LIVE);
        g = points(g, Side.HOME, 2);
        g = points(g, Side.AWAY, 1);
        assertEquals(Map.of("home", "30", "away", "15"), GameJson.summary(g).get("point"));
        g = points(g, Side.AWAY, 2);
        g = points(g, Side.HOME, 1);
        assertEquals(Map.of("home", "40", "away", "40"), GameJson.summary(g).get("point"), "deuce");
        g = points(g, Side.AWAY, 1);
        assertEquals(Map.of("home", "40", "away", "AD"), GameJson.summary(g).get("point"));
        g = points(g, Side.HOME, 1);
        assertEquals(Map.of("home", "40", "away", "40"), GameJson.summary(g).get("point"), "back to deuce");
        assertEquals(g, readBack(g));
        g = points(g, Side.HOME, 2);
        assertEquals(new GameSet(1, 0), g.sets().get(0));
        assertEquals(Map.of("home", "0", "away", "0"), GameJson.summary(g).get("point"));

        for (int i = 0; i < 5; i++) g = points(points(g, Side.AWAY, 4), Side.HOME, 4); // 6-5
        assertEquals(new GameSet(6, 5), g.sets().get(0));
        g = points(g, Side.AWAY, 4);
        assertEquals(new GameSet(6, 6), g.sets().get(0));
        g = points(g, Side.HOME, 6);
        g = points(g, Side.AWAY, 6);
        assertEquals(Map.of("home", "6", "away", "6"), GameJson.summary(g).get("point"), "tiebreak points are numbers");
        assertEquals(g, readBack(g));
        g = points(g, Side.HOME, 1);
        assertEquals(new GameSet(6, 6), g.sets().get(0), "7-6 in a tiebreak is not enough");
        g = points(g, Side.HOME, 1);
        assertEquals(List.of(new GameSet(7, 6), GameSet.EMPTY), g.sets());
        assertEquals(1, g.home().score());
        assertEquals("Set 2", g.period());

        for (int i = 0; i < 6; i++) g = points(g, Side.HOME, 4);
        assertEquals(2, g.home().score());
        assertEquals(GameStatus.FINAL, g.status());
        assertEquals(List.of(new GameSet(7, 6), new GameSet(6, 0)), g.sets());
    }

    @Test
    void theClockStartsStopsAndIsSetAndReadsTheSameFromItsState() {
        Game g = game("basketball", GameStatus.SCHEDULED);
        assertEquals(new GameClock(false, GameClock.Direction.DOWN, 600_000, NOW.toEpochMilli()), g.clock());
        assertEquals(
                "game-not-live",
                refused(g, new GameEvent.ClockChange(GameEvent.ClockAction.START, 0))
                        .code());
        g = GameRules.apply(g, new GameEvent.ChangeStatus(GameStatus.LIVE), NOW);
        g = GameRules.apply(g, new GameEvent.ClockChange(GameEvent.ClockAction.START, 0), NOW);
        assertTrue(g.clock().running());
        assertEquals(590_000, g.clock().reading(NOW.toEpochMilli() + 10_000));
        assertEquals(0, g.clock().reading(NOW.toEpochMilli() + 700_000), "a countdown stops at zero");
        assertEquals(
                "clock-running",
                refused(g, new GameEvent.ClockChange(GameEvent.ClockAction.START, 0))
                        .code());
        Instant later = NOW.plusMillis(12_345);
        g = GameRules.apply(g, new GameEvent.ClockChange(GameEvent.ClockAction.STOP, 0), later);
        assertFalse(g.clock().running());
        assertEquals(587_655, g.clock().ms());
        assertEquals(later.toEpochMilli(), g.clock().at());
        assertEquals("stop", g.log().get(g.log().size() - 1).action());
        g = GameRules.apply(g, new GameEvent.ClockChange(GameEvent.ClockAction.SET, 60_000), later);
        assertEquals(60_000, g.clock().ms());
        assertEquals(g, readBack(g));
        Game undone = GameRules.apply(g, new GameEvent.Undo(), later);
        assertEquals(GameStatus.SCHEDULED, undone.status(), "undo skips clock changes: it reverts the status");
        assertEquals(60_000, undone.clock().ms());

        Game soccer = GameRules.apply(
                game("soccer", GameStatus.LIVE), new GameEvent.ClockChange(GameEvent.ClockAction.START, 0), NOW);
        assertEquals(61_000, soccer.clock().reading(NOW.toEpochMilli() + 61_000), "soccer counts up from 0");
        assertEquals(
                "no-clock",
                refused(game("tennis", GameStatus.LIVE), new GameEvent.ClockChange(GameEvent.ClockAction.START, 0))
                        .code());
        assertThrows(
                InvalidInput.class,
                () -> GameEvent.fromJson(Map.of("type", "clock", "action", "set", "ms", GameClock.MAX_MS + 1)));
        assertThrows(InvalidInput.class, () -> GameEvent.fromJson(Map.of("type", "clock", "action", "rewind")));
    }

    @Test
    void teamsHaveOptionalShortNamesAndColoursAndGamesAStartTime() {
        NewGame n = NewGame.fromJson(Map.of(
                "sport",
                "basketball",
                "startsAt",
                "2026-12-02T20:00:00+01:00",
                "home",
                Map.of("name", "Lakers", "short", "LAL", "color", "#552583"),
                "away",
                "Celtics"));
        Game g = n.start("g1", NOW);
        assertEquals("2026-12-02T19:00:00Z", g.startsAt());
        assertEquals(
                Map.of("name", "Lakers", "short", "LAL", "color", "#552583", "score", 0),
                GameJson.summary(g).get("home"));
        assertEquals(Map.of("name", "Celtics", "score", 0), GameJson.summary(g).get("away"));
        assertEquals(g, readBack(g));
        assertThrows(
                InvalidInput.class,
                () -> NewGame.fromJson(Map.of("home", Map.of("name", "A", "short", "TOOLONG"), "away", "B")));
        assertThrows(
                InvalidInput.class,
                () -> NewGame.fromJson(Map.of("home", Map.of("name", "A", "color", "red"), "away", "B")));
        assertThrows(
                InvalidInput.class, () -> NewGame.fromJson(Map.of("home", "A", "away", "B", "startsAt", "tomorrow")));
        InvalidInput unknown = assertThrows(
                InvalidInput.class, () -> NewGame.fromJson(Map.of("sport", "quidditch", "home", "A", "away", "B")));
        assertTrue(unknown.getMessage().contains("basketball"), unknown.getMessage());
        assertEquals(
                "custom",
                NewGame.fromJson(Map.of("home", "A", "away", "B")).sport().id());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGameStoredBeforeThePresetsStillLoadsAsCustom() {
        String stored = "{\"id\":\"old1\",\"sport\":\"Rugby sevens\",\"home\":{\"name\":\"Reds\",\"score\":5},"
                + "\"away\":{\"name\":\"Blues\",\"score\":0},\"period\":\"1st\",\"status\":\"live\",\"version\":2,"
                + "\"created\":\"2026-11-01T10:00:00Z\",\"updated\":\"2026-11-01T10:05:00Z\",\"log\":[{\"version\":2,"
                + "\"at\":\"2026-11-01T10:05:00Z\",\"type\":\"score\",\"team\":\"home\",\"points\":5,\"score\":5,\"previous\":0}]}";
        Game g = GameJson.read((Map<String, Object>) Json.parse(stored, 16));
        assertEquals("custom", g.sport());
        assertNull(g.clock());
        assertTrue(g.sets().isEmpty());
        assertEquals(
                7,
                GameRules.apply(g, new GameEvent.AddPoints(Side.HOME, 2), NOW)
                        .home()
                        .score());
        assertEquals(0, GameRules.apply(g, new GameEvent.Undo(), NOW).home().score());
        Game clocked = GameRules.apply(g, new GameEvent.ClockChange(GameEvent.ClockAction.START, 0), NOW);
        assertTrue(clocked.clock().running(), "an old game gets its sport's clock when first used");
    }
}
