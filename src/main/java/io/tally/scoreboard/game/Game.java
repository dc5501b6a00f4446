package io.tally.scoreboard.game;

import java.util.List;

/**
 * A game's whole state at one {@code version}. Immutable: every event yields a new Game with the
 * version one higher, which is what the stores compare-and-set on and what viewers use to ignore
 * anything not newer than what they already show. {@code log} holds the last {@link #LOG_LIMIT}
 * events (newest last); only those can be undone.
 */
public record Game(
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

    public static final int LOG_LIMIT = 50;

    public Game {
        log = List.copyOf(log);
    }

    public Team team(Side side) {
        return side == Side.HOME ? home : away;
    }

    /** The room carrying this game's events; ids are {@code [a-z0-9-]}, so the name is always valid. */
    public static String roomOf(String id) {
        return "game-" + id;
    }

    public String room() {
        return roomOf(id);
    }
}
