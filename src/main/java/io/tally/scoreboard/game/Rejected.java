package io.tally.scoreboard.game;

/**
 * A well-formed event that the game's current state does not allow (409), e.g. scoring in a final
 * game or undoing when nothing is left to undo. {@code code} is stable for programs; the message is
 * for people.
 */
public final class Rejected extends RuntimeException {
    private final String code;

    public Rejected(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
