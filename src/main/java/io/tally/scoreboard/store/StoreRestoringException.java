package io.tally.scoreboard.store;

/**
 * Redis lost its data and the instances are putting their copies of the games back: this game
 * cannot be read or changed until the restore window closes, so that nothing is answered from (or
 * written on top of) a copy older than one another instance may still offer. The API answers 503
 * with {@code Retry-After}.
 */
public final class StoreRestoringException extends StoreUnavailableException {
    private final long retryAfterMillis;

    public StoreRestoringException(String message, long retryAfterMillis) {
        super(message, null);
        this.retryAfterMillis = Math.max(0, retryAfterMillis);
    }

    /** Whole seconds until the window closes (at least 1), for {@code Retry-After}. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMillis + 999) / 1000);
    }
}
