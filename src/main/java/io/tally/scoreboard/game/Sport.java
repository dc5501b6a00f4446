package io.tally.scoreboard.game;

import java.util.List;

/**
 * How a sport scores, as data: the point values a scorer may add, the period labels, the clock (or
 * none) and whether points are counted within sets. {@link Sports} holds the presets.
 *
 * @param buttons   the point values the console offers, in order; a score event may add or take back
 *                  only these (any value up to {@link GameEvent#MAX_POINTS} when {@code freeScoring})
 * @param periods   the period labels offered, in order (free text is still accepted)
 * @param clock     the game clock, or null when the sport has none
 * @param scoring   points (a running total), or points within sets (volleyball), or tennis
 * @param setsToWin for set sports: sets needed to win the match (best of {@code 2 * setsToWin - 1})
 */
public record Sport(
        String id,
        String name,
        List<Integer> buttons,
        List<String> periods,
        ClockRule clock,
        Scoring scoring,
        int setsToWin,
        boolean freeScoring) {

    public enum Scoring {
        POINTS,
        VOLLEYBALL,
        TENNIS;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The clock a sport uses: which way it counts and how long a period is (null: no fixed length). */
    public record ClockRule(GameClock.Direction direction, Long periodMs) {}

    public Sport {
        buttons = List.copyOf(buttons);
        periods = List.copyOf(periods);
    }

    public boolean hasSets() {
        return scoring != Scoring.POINTS;
    }

    /** Whether a score event may add {@code points} (negative: a correction) in this sport. */
    public boolean allows(int points) {
        if (freeScoring) return true;
        return buttons.contains(Math.abs(points));
    }

    /** The clock a new game of this sport starts with: stopped, at the period length (down) or 0 (up). */
    public GameClock startClock(long atMillis) {
        if (clock == null) return null;
        long ms = clock.direction() == GameClock.Direction.DOWN && clock.periodMs() != null ? clock.periodMs() : 0;
        return new GameClock(false, clock.direction(), ms, atMillis);
    }
}
