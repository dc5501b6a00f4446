package io.tally.scoreboard;

import io.tally.scoreboard.game.Game;

/**
 * The write cannot be applied to the game as it is now: a stale {@code If-Match} version or an event
 * the game's state does not allow (409), or one its sport never allows (422). Carries the current
 * game so the scorer's screen can catch up.
 */
public final class Conflict extends RuntimeException {
    private final int status;
    private final String code;
    private final Game current;

    public Conflict(String code, String message, Game current) {
        this(409, code, message, current);
    }

    public Conflict(int status, String code, String message, Game current) {
        super(message);
        this.status = status;
        this.code = code;
        this.current = current;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Game current() {
        return current;
    }
}
