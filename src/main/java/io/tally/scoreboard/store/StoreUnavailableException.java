package io.tally.scoreboard.store;

/** The store cannot be reached or answered in time: the API answers 503 with Retry-After. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
