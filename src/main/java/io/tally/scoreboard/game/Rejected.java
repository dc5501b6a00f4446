package io.tally.scoreboard.game;

/**
 * A well-formed event that the game does not allow. {@link #conflict} (409): its current state refuses
 * it, e.g. scoring in a final game or undoing when nothing is left to undo. {@link #againstRules}
 * (422): its sport never allows it, e.g. +3 in soccer. {@code code} is stable for programs; the
 * message is for people.
 */
public final class Rejected extends RuntimeException {
    private final String code;
    private final int status;

    public Rejected(String code, String message) {
        this(code, message, 409);
    }

    private Rejected(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public static Rejected conflict(String code, String message) {
        return new Rejected(code, message, 409);
    }

    public static Rejected againstRules(String code, String message) {
        return new Rejected(code, message, 422);
    }

    public String code() {
        return code;
    }

    /** The HTTP status: 409 for the game's state, 422 for the sport's rules. */
    public int status() {
        return status;
    }
}
