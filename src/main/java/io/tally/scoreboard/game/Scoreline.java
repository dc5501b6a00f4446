package io.tally.scoreboard.game;

import java.util.List;

/**
 * A set sport's scoring state before a point, kept in that point's log entry so an undo can put it
 * back exactly (a point may close a set, open the next, rename the period and end the match).
 */
public record Scoreline(int home, int away, List<GameSet> sets, GamePoints point, String period, GameStatus status) {
    public Scoreline {
        sets = List.copyOf(sets);
    }
}
