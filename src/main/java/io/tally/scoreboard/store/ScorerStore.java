package io.tally.scoreboard.store;

import java.util.List;
import java.util.Optional;

/**
 * Per-game scorer tokens, keyed by the SHA-256 digest (hex) of the token. Each method is atomic;
 * every method throws {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface ScorerStore extends AutoCloseable {

    /** Stores a scorer under {@code digest}; false (nothing stored) if its game has {@code max} already. */
    boolean add(Scorer scorer, String digest, int max);

    Optional<Scorer> findByDigest(String digest);

    /** The game's scorers, oldest first. */
    List<Scorer> list(String game);

    /** Revokes a scorer of {@code game}; false if there is none with that id. */
    boolean remove(String game, String scorerId);

    @Override
    void close();
}
