package io.tally.scoreboard.game;

import java.util.Locale;

/** Where a game stands (break: half time or a pause between periods). Any status may follow any other, so a scorer can correct a mistaken "final". */
public enum GameStatus {
    SCHEDULED,
    LIVE,
    BREAK,
    FINAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code scheduled|live|break|final}; throws {@link InvalidInput} otherwise. */
    public static GameStatus parse(Object value) {
        if (value instanceof String s) {
            for (GameStatus st : values()) if (st.wire().equals(s)) return st;
        }
        throw new InvalidInput("status must be \"scheduled\", \"live\", \"break\" or \"final\"");
    }
}
