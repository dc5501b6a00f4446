package io.tally.scoreboard.store;

import io.tally.scoreboard.game.Game;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** One instance's games, in a map: the default when there is no Redis. Lost on restart. */
public final class MemoryGameStore implements GameStore {
    private final ConcurrentHashMap<String, Game> games = new ConcurrentHashMap<>();

    @Override
    public Optional<Game> find(String id) {
        return Optional.ofNullable(games.get(id));
    }

    @Override
    public List<Game> list(int limit) {
        return games.values().stream()
                .sorted(Comparator.comparing(Game::created).thenComparing(Game::id).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public boolean create(Game game) {
        return games.putIfAbsent(game.id(), game) == null;
    }

    @Override
    public boolean replace(long expectedVersion, Game next) {
        AtomicBoolean replaced = new AtomicBoolean();
        games.computeIfPresent(next.id(), (id, current) -> {
            if (current.version() != expectedVersion) return current;
            replaced.set(true);
            return next;
        });
        return replaced.get();
    }

    @Override
    public StoreHealth health() {
        return new StoreHealth(true, "memory", count(games.size()) + " in memory, single instance");
    }

    private static String count(int n) {
        return n == 1 ? "1 game" : n + " games";
    }

    @Override
    public void close() {
        games.clear();
    }
}
