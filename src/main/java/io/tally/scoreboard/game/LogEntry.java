package io.tally.scoreboard.game;

/**
 * One applied event in a game's log, as viewers see it and as undo needs it. {@code version} is the
 * game version the event produced, so the log doubles as the event sequence every viewer renders.
 * Fields that do not apply to the {@code type} are null; {@code previous} holds what undo restores
 * (a score as Integer, a period as String, a status as GameStatus, a point's {@link Scoreline}).
 * Clock entries ({@code action} start/stop/set, {@code ms} the reading) are never undone: a clock is
 * corrected by setting it.
 */
public record LogEntry(
        long version,
        String at,
        String type,
        Side team,
        Integer points,
        Integer set,
        Integer score,
        String period,
        GameStatus status,
        Long undoes,
        Object previous,
        boolean undone,
        String action,
        Long ms) {

    public static final String SCORE = "score";
    public static final String POINT = "point";
    public static final String PERIOD = "period";
    public static final String STATUS = "status";
    public static final String CLOCK = "clock";
    public static final String UNDO = "undo";

    public LogEntry(
            long version,
            String at,
            String type,
            Side team,
            Integer points,
            Integer set,
            Integer score,
            String period,
            GameStatus status,
            Long undoes,
            Object previous,
            boolean undone) {
        this(version, at, type, team, points, set, score, period, status, undoes, previous, undone, null, null);
    }

    public boolean isUndoable() {
        return !undone && !UNDO.equals(type) && !CLOCK.equals(type);
    }

    LogEntry markUndone() {
        return new LogEntry(
                version, at, type, team, points, set, score, period, status, undoes, previous, true, action, ms);
    }
}
