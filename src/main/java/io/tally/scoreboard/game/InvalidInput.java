package io.tally.scoreboard.game;

/** A request is malformed in itself (400), whatever the game's state. The message is shown to people. */
public final class InvalidInput extends RuntimeException {
    public InvalidInput(String message) {
        super(message);
    }
}
