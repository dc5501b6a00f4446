package io.tally.scoreboard.store;

/** For the readiness endpoint. {@code detail} is a short human explanation, never a URL or secret. */
public record StoreHealth(boolean available, String mode, String detail) {}
