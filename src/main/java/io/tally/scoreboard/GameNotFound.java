package io.tally.scoreboard;

/** No game has this id (404). */
public final class GameNotFound extends RuntimeException {
    public GameNotFound(String id) {
        super("there is no game with id \"" + id + "\"");
    }
}
