package io.tally.scoreboard.store;

/**
 * A per-game scorer token as stored: its public {@code id} (what logs and the admin see), the one
 * {@code game} it may score, a {@code label} the admin chose and when it was created. The token itself
 * is never stored, only its SHA-256 digest, which is the key it is found by.
 */
public record Scorer(String id, String game, String label, String created) {}
