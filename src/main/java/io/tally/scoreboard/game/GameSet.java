package io.tally.scoreboard.game;

/** One set's score: points (volleyball) or games (tennis). */
public record GameSet(int home, int away) {
    public static final GameSet EMPTY = new GameSet(0, 0);

    public int of(Side side) {
        return side == Side.HOME ? home : away;
    }

    public GameSet plus(Side side) {
        return side == Side.HOME ? new GameSet(home + 1, away) : new GameSet(home, away + 1);
    }
}
