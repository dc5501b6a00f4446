package io.tally.scoreboard.store;

import io.tally.scoreboard.game.Game;

import java.util.List;
import java.util.Optional;

/**
 * Where games live: the in-memory map of one instance, or Redis shared by all instances.
 *
 * <p>Contract: each method is atomic on its own and linearizable per game — once {@link #replace}
 * has returned true, every later {@link #find} on any instance sees that version or a newer one.
 * Concurrency is optimistic: writers read a game, compute the next version, and {@code replace}
 * succeeds only if nobody stored another version meanwhile. No method blocks on another writer.
 * Every method throws {@link StoreUnavailableException} when the store cannot be reached; a write
 * that throws may or may not have been applied (the caller re-reads). Redis losing its data is the
 * one exception to "newer or the same", and what survives it is {@link RecoveringGameStore}'s to say;
 * meanwhile reads and writes throw {@link StoreRestoringException}.
 */
public interface GameStore extends AutoCloseable {

    Optional<Game> find(String id);

    /** Up to {@code limit} games, most recently created first. */
    List<Game> list(int limit);

    /** Stores a new game; false (and nothing changed) if a game with its id exists. */
    boolean create(Game game);

    /** Stores {@code next} only if the stored version of its game is {@code expectedVersion}. */
    boolean replace(long expectedVersion, Game next);

    StoreHealth health();

    @Override
    void close();
}
