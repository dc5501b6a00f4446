package io.tally.scoreboard;

import io.tally.scoreboard.game.Game;

/**
 * The write cannot be applied to the game as it is now (409): a stale {@code If-Match} version, or an
 * event the game's state does not allow. Carries the current game so the scorer's screen can catch up.
 */
public final class Conflict extends RuntimeException {
    private final String code;
    private final Game current;

    public Conflict(String code, String message, Game current) {
        super(message);
        this.code = code;
        this.current = current;
    }

    public String code() {
        return code;
    }

    public Game current() {
        return current;
    }
}
