package io.tally.scoreboard.store;

import io.tally.scoreboard.game.Game;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
    default boolean create(Game game) {
        return game.id().equals(create(game, null, Duration.ZERO));
    }

    /**
     * Stores a new game and, in the same atomic step, records for {@code keep} that the write named
     * {@code record} (an idempotency key, already hashed; null: none) created it. Returns the id of
     * the game that write created: {@code game.id()} when stored now, an earlier game's id when
     * {@code record} is already recorded (nothing changed), null when a game with this id exists.
     * At most one record per game created, each dropped after {@code keep}.
     */
    String create(Game game, String record, Duration keep);

    /** Stores {@code next} only if the stored version of its game is {@code expectedVersion}. */
    default boolean replace(long expectedVersion, Game next) {
        return replace(expectedVersion, next, null, null);
    }

    /**
     * {@link #replace(long, Game)}, and in the same atomic step records that the write named
     * {@code record} (an idempotency key, already hashed; null: none) produced {@code next.version()}
     * and forgets the write named {@code forget} (null: none; a write taken back). If {@code record} is
     * already recorded for the game, nothing changes and the answer is false. Each game keeps the
     * last {@link #APPLIED_KEEP} records, stored with the game, so they are as durable as the write.
     */
    boolean replace(long expectedVersion, Game next, String record, String forget);

    /** The version the write named {@code key} produced, if it is among the game's recorded writes. */
    OptionalLong applied(String id, String key);

    /** How many applied writes each game remembers. */
    int APPLIED_KEEP = 64;

    StoreHealth health();

    @Override
    void close();
}
