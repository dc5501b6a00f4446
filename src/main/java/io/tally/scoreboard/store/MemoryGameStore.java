package io.tally.scoreboard.store;

import io.tally.scoreboard.game.Game;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** One instance's games, in a map: the default when there is no Redis. Lost on restart. */
public final class MemoryGameStore implements GameStore {
    private final ConcurrentHashMap<String, Game> games = new ConcurrentHashMap<>();
    /** Per game, its recorded writes oldest first as "key:version"; changed only under the game's bin lock. */
    private final ConcurrentHashMap<String, List<String>> applied = new ConcurrentHashMap<>();
    /** Which game each keyed creation made, oldest first; guarded by itself. */
    private final Map<String, Created> created = new LinkedHashMap<>();

    private record Created(String id, long untilNanos) {}

    @Override
    public Optional<Game> find(String id) {
        return Optional.ofNullable(games.get(id));
    }

    @Override
    public List<Game> list(int limit) {
        return games.values().stream()
                .sorted(Comparator.comparing(Game::created)
                        .thenComparing(Game::id)
                        .reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public String create(Game game, String record, Duration keep) {
        if (record == null) return games.putIfAbsent(game.id(), game) == null ? game.id() : null;
        synchronized (created) {
            long now = System.nanoTime();
            for (Iterator<Created> it = created.values().iterator(); it.hasNext(); ) {
                if (it.next().untilNanos() - now > 0) break; // insertion order is expiry order
                it.remove();
            }
            Created earlier = created.get(record);
            if (earlier != null) return earlier.id();
            if (games.putIfAbsent(game.id(), game) != null) return null;
            created.put(record, new Created(game.id(), now + keep.toNanos()));
            return game.id();
        }
    }

    @Override
    public boolean replace(long expectedVersion, Game next, String record, String forget) {
        AtomicBoolean replaced = new AtomicBoolean();
        games.computeIfPresent(next.id(), (id, current) -> {
            if (current.version() != expectedVersion) return current;
            List<String> writes = applied.getOrDefault(id, List.of());
            if (record != null && find(writes, record).isPresent()) return current;
            List<String> kept = new ArrayList<>(writes.size() + 1);
            for (String w : writes) if (forget == null || !w.startsWith(forget + ":")) kept.add(w);
            if (record != null) kept.add(record + ":" + next.version());
            while (kept.size() > APPLIED_KEEP) kept.remove(0);
            applied.put(id, List.copyOf(kept));
            replaced.set(true);
            return next;
        });
        return replaced.get();
    }

    @Override
    public OptionalLong applied(String id, String key) {
        return find(applied.getOrDefault(id, List.of()), key);
    }

    private static OptionalLong find(List<String> writes, String key) {
        for (String w : writes) {
            if (w.startsWith(key + ":")) return OptionalLong.of(Long.parseLong(w.substring(key.length() + 1)));
        }
        return OptionalLong.empty();
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
        applied.clear();
        synchronized (created) {
            created.clear();
        }
    }
}
