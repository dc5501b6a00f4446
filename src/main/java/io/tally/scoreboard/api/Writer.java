package io.tally.scoreboard.api;

import io.tally.scoreboard.store.Scorer;

/**
 * Who makes a write: the admin (the TALLY_ADMIN_TOKEN holder, who may do anything) or a per-game
 * scorer, who may only score its one game. {@link #toString} is what the log shows: never a token.
 */
record Writer(Scorer scorer) {
    static final Writer ADMIN = new Writer(null);

    boolean isAdmin() {
        return scorer == null;
    }

    boolean mayScore(String gameId) {
        return scorer == null || scorer.game().equals(gameId);
    }

    @Override
    public String toString() {
        return scorer == null ? "admin" : "scorer " + scorer.id() + " (\"" + scorer.label() + "\")";
    }
}
