package io.tally.scoreboard.game;

/**
 * Tennis's points in the game in play, as counts (0, 1, 2, 3, …); shown as 0/15/30/40/AD, or as
 * plain numbers in a tiebreak.
 */
public record GamePoints(int home, int away) {
    public static final GamePoints LOVE = new GamePoints(0, 0);

    public int of(Side side) {
        return side == Side.HOME ? home : away;
    }

    public GamePoints plus(Side side) {
        return side == Side.HOME ? new GamePoints(home + 1, away) : new GamePoints(home, away + 1);
    }

    /** The label of {@code side}'s points: in a game 0, 15, 30, 40 or AD (from deuce on, 40-40 or AD-40). */
    public String label(Side side, boolean tiebreak) {
        int mine = of(side);
        if (tiebreak) return Integer.toString(mine);
        int theirs = of(side == Side.HOME ? Side.AWAY : Side.HOME);
        if (mine >= 3 && theirs >= 3) return mine > theirs ? "AD" : "40";
        return switch (mine) {
            case 0 -> "0";
            case 1 -> "15";
            case 2 -> "30";
            default -> "40";
        };
    }

    /** Reads labels written by {@link #label}; an advantage reads as 4-3, deuce as 3-3 (the same game state). */
    public static GamePoints parse(String home, String away, boolean tiebreak) {
        if (tiebreak) return new GamePoints(Integer.parseInt(home), Integer.parseInt(away));
        return new GamePoints(count(home), count(away));
    }

    private static int count(String label) {
        return switch (label) {
            case "0" -> 0;
            case "15" -> 1;
            case "30" -> 2;
            case "40" -> 3;
            case "AD" -> 4;
            default -> throw new IllegalArgumentException("not a tennis point: " + label);
        };
    }
}
