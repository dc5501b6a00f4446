package io.tally.scoreboard.game;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/games}: what a scorer types to create a game. A team is a name, or an
 * object with {@code name}, optional {@code short} (at most 4 characters) and {@code color}
 * ({@code #rrggbb}).
 */
public record NewGame(Sport sport, Team home, Team away, String period, GameStatus status, String startsAt) {
    static final int MAX_SHORT = 4;
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    /** A game of {@code sport} (a preset id; anything else is custom) between two named teams. */
    public NewGame(String sport, String home, String away, String period, GameStatus status) {
        this(Sports.of(sport), new Team(home, 0), new Team(away, 0), period, status, null);
    }

    public static NewGame fromJson(Map<String, Object> body) {
        Sport sport = body.containsKey("sport") ? Sports.parse(body.get("sport")) : Sports.custom();
        Object home = body.get("home");
        Object away = body.get("away");
        if (home == null || away == null) throw new InvalidInput("home and away team names are required");
        String period = body.containsKey("period") ? Text.label(body.get("period"), "period", true) : "";
        GameStatus status = body.containsKey("status") ? GameStatus.parse(body.get("status")) : GameStatus.SCHEDULED;
        String startsAt = body.get("startsAt") == null ? null : instant(body.get("startsAt"));
        return new NewGame(sport, team(home, "home"), team(away, "away"), period, status, startsAt);
    }

    private static Team team(Object value, String field) {
        if (value instanceof String) return new Team(Text.name(value, field), 0);
        if (!(value instanceof Map<?, ?> m))
            throw new InvalidInput(field + " must be a team name or {\"name\", \"short\", \"color\"}");
        String name = Text.name(m.get("name"), field + ".name");
        String shortName = m.get("short") == null ? null : shortName(m.get("short"), field + ".short");
        String color = m.get("color") == null ? null : color(m.get("color"), field + ".color");
        return new Team(name, shortName, color, 0);
    }

    /** A short label typed by the admin (at most 40 characters, not empty). */
    public static String label(Object value, String field) {
        return Text.label(value, field, false);
    }

    static String shortName(Object value, String field) {
        String s = Text.label(value, field, false);
        if (s.codePointCount(0, s.length()) > MAX_SHORT)
            throw new InvalidInput(field + " must be at most " + MAX_SHORT + " characters");
        return s;
    }

    static String color(Object value, String field) {
        if (!(value instanceof String s) || !COLOR.matcher(s).matches())
            throw new InvalidInput(field + " must be a colour like \"#1d428a\"");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    static String instant(Object value) {
        if (!(value instanceof String s) || s.length() > 40)
            throw new InvalidInput("startsAt must be an ISO-8601 time like \"2026-12-02T19:00:00Z\"");
        try {
            return Instant.parse(s).toString();
        } catch (DateTimeParseException e) {
            throw new InvalidInput("startsAt must be an ISO-8601 time with a zone, like \"2026-12-02T19:00:00Z\"");
        }
    }

    /** The game at version 1, scores 0-0 (set sports: the first set at 0-0; a clock at the period start). */
    public Game start(String id, Instant now) {
        String at = now.toString();
        List<GameSet> sets = sport.hasSets() ? List.of(GameSet.EMPTY) : List.of();
        GamePoints point = sport.scoring() == Sport.Scoring.TENNIS ? GamePoints.LOVE : null;
        String p = period.isEmpty() && sport.hasSets() ? sport.periods().get(0) : period;
        return new Game(
                id,
                sport.id(),
                home.withScore(0),
                away.withScore(0),
                sets,
                point,
                p,
                sport.startClock(now.toEpochMilli()),
                startsAt,
                status,
                1,
                at,
                at,
                List.of());
    }
}
