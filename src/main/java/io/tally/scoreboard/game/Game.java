package io.tally.scoreboard.game;

import java.util.List;

/**
 * A game's whole state at one {@code version}. Immutable: every event yields a new Game with the
 * version one higher, which is what the stores compare-and-set on and what viewers use to ignore
 * anything not newer than what they already show. {@code log} holds the last {@link #LOG_LIMIT}
 * events (newest last); only those can be undone.
 *
 * <p>{@code sport} is a preset id ({@link Sports}). In set sports {@code sets} lists every set so far
 * (the last is the one in play) and a team's {@code score} is its sets won; {@code point} is tennis's
 * current game (null otherwise). {@code clock} is null when the sport has none; {@code startsAt} is an
 * ISO-8601 instant or null.
 */
public record Game(
        String id,
        String sport,
        Team home,
        Team away,
        List<GameSet> sets,
        GamePoints point,
        String period,
        GameClock clock,
        String startsAt,
        GameStatus status,
        long version,
        String created,
        String updated,
        List<LogEntry> log) {

    public static final int LOG_LIMIT = 50;

    public Game {
        sets = List.copyOf(sets);
        log = List.copyOf(log);
    }

    /** A game without sets, point, clock or start time (the shape before sports were presets). */
    public Game(
            String id,
            String sport,
            Team home,
            Team away,
            String period,
            GameStatus status,
            long version,
            String created,
            String updated,
            List<LogEntry> log) {
        this(id, sport, home, away, List.of(), null, period, null, null, status, version, created, updated, log);
    }

    public Sport rules() {
        return Sports.of(sport);
    }

    public Team team(Side side) {
        return side == Side.HOME ? home : away;
    }

    /** The scoring state an undo of a point restores. */
    public Scoreline scoreline() {
        return new Scoreline(home.score(), away.score(), sets, point, period, status);
    }

    /** This game at the next version: {@code at} is its update time and {@code log} its log. */
    Game next(long version, String at, List<LogEntry> log) {
        return new Game(id, sport, home, away, sets, point, period, clock, startsAt, status, version, created, at, log);
    }

    Game with(Scoreline s) {
        return new Game(
                id,
                sport,
                home.withScore(s.home()),
                away.withScore(s.away()),
                s.sets(),
                s.point(),
                s.period(),
                clock,
                startsAt,
                s.status(),
                version,
                created,
                updated,
                log);
    }

    Game withTeams(Team h, Team a) {
        return new Game(id, sport, h, a, sets, point, period, clock, startsAt, status, version, created, updated, log);
    }

    Game withPeriod(String p) {
        return new Game(id, sport, home, away, sets, point, p, clock, startsAt, status, version, created, updated, log);
    }

    Game withStatus(GameStatus s) {
        return new Game(id, sport, home, away, sets, point, period, clock, startsAt, s, version, created, updated, log);
    }

    Game withClock(GameClock c) {
        return new Game(
                id, sport, home, away, sets, point, period, c, startsAt, status, version, created, updated, log);
    }

    /** The same content stored under another version and time (the store's compensation after a failed publish). */
    public Game restoredAs(long newVersion, String at) {
        return new Game(
                id, sport, home, away, sets, point, period, clock, startsAt, status, newVersion, created, at, log);
    }

    /** The room carrying this game's events; ids are {@code [a-z0-9-]}, so the name is always valid. */
    public static String roomOf(String id) {
        return "game-" + id;
    }

    public String room() {
        return roomOf(id);
    }
}
