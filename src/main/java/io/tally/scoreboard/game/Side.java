package io.tally.scoreboard.game;

/** The two teams of a game. */
public enum Side {
    HOME,
    AWAY;

    public String wire() {
        return this == HOME ? "home" : "away";
    }

    public static Side parse(Object value) {
        if ("home".equals(value)) return HOME;
        if ("away".equals(value)) return AWAY;
        throw new InvalidInput("team must be \"home\" or \"away\"");
    }
}
