package io.tally.scoreboard.game;

import java.util.Map;

/**
 * What a scorer can do to a game. Parsed from the JSON body of {@code POST /api/games/{id}/events};
 * every check that does not depend on the game's state happens here, so a malformed event is a 400
 * before any store is touched.
 */
public sealed interface GameEvent {
    int MAX_SCORE = 9_999;
    int MAX_POINTS = 99;
    String TYPES = "\"score\", \"point\", \"clock\", \"period\", \"status\" or \"undo\"";

    /** Adds {@code points} (may be negative) to a team's score. */
    record AddPoints(Side team, int points) implements GameEvent {}

    /** Sets a team's score outright (a correction). */
    record SetScore(Side team, int score) implements GameEvent {}

    /** Sets the period/clock label, e.g. "Q2", "2nd half", "87'". */
    record ChangePeriod(String period) implements GameEvent {}

    record ChangeStatus(GameStatus status) implements GameEvent {}

    /** One point to a team in a set sport (a rally in volleyball, a point in tennis). */
    record Point(Side team) implements GameEvent {}

    /** Starts, stops or sets the game clock ({@code ms} only for SET). */
    record ClockChange(ClockAction action, long ms) implements GameEvent {}

    enum ClockAction {
        START,
        STOP,
        SET
    }

    /** Reverts the most recent event that is not an undo or a clock change and has not been undone yet. */
    record Undo() implements GameEvent {}

    static GameEvent fromJson(Map<String, Object> body) {
        Object type = body.get("type");
        if (!(type instanceof String t)) throw new InvalidInput("type is required: " + TYPES);
        switch (t) {
            case "score": {
                Side team = Side.parse(body.get("team"));
                boolean hasPoints = body.containsKey("points");
                boolean hasSet = body.containsKey("set");
                if (hasPoints == hasSet)
                    throw new InvalidInput("a score event needs either points (+n or -n) or set (a new score)");
                if (hasPoints) {
                    long p = integer(body.get("points"), "points");
                    if (p == 0 || Math.abs(p) > MAX_POINTS)
                        throw new InvalidInput(
                                "points must be between -" + MAX_POINTS + " and " + MAX_POINTS + ", and not 0");
                    return new AddPoints(team, (int) p);
                }
                long s = integer(body.get("set"), "set");
                if (s < 0 || s > MAX_SCORE) throw new InvalidInput("set must be between 0 and " + MAX_SCORE);
                return new SetScore(team, (int) s);
            }
            case "point":
                return new Point(Side.parse(body.get("team")));
            case "clock":
                return clock(body);
            case "period":
                return new ChangePeriod(Text.label(body.get("period"), "period", true));
            case "status":
                return new ChangeStatus(GameStatus.parse(body.get("status")));
            case "undo":
                return new Undo();
            default:
                throw new InvalidInput("unknown event type \"" + Text.clip(t) + "\": use " + TYPES);
        }
    }

    private static ClockChange clock(Map<String, Object> body) {
        Object action = body.get("action");
        if ("start".equals(action)) return new ClockChange(ClockAction.START, 0);
        if ("stop".equals(action)) return new ClockChange(ClockAction.STOP, 0);
        if ("set".equals(action)) {
            long ms = integer(body.get("ms"), "ms");
            if (ms < 0 || ms > GameClock.MAX_MS)
                throw new InvalidInput("ms must be between 0 and " + GameClock.MAX_MS + " (10 hours)");
            return new ClockChange(ClockAction.SET, ms);
        }
        throw new InvalidInput("a clock event needs action \"start\", \"stop\" or \"set\" (with ms)");
    }

    private static long integer(Object v, String field) {
        if (v instanceof Long l) return l;
        throw new InvalidInput(field + " must be a whole number");
    }
}
