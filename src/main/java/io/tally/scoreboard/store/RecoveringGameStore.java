package io.tally.scoreboard.store;

import io.tally.concurrent.DaemonThreads;
import io.tally.scoreboard.game.Game;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The Redis store, plus a way back when Redis loses its data (a restart without persistence, a flush,
 * a failover to an empty replica): every instance remembers the newest version of each game it has
 * read or written, and when it notices the loss — the data set's marker is gone, or a game it knows
 * is missing — it puts those games back. A restored game never replaces a newer version, so across
 * instances the newest copy wins. This is best effort: changes no running instance saw are lost with
 * Redis, and a game is only as fresh as its freshest surviving copy. (Viewers are told to reload by
 * the broker's epoch change, so they pick up the restored state.)
 */
public final class RecoveringGameStore implements GameStore {
    private static final Logger LOG = Logger.getLogger(RecoveringGameStore.class.getName());

    private final RedisGameStore redis;
    private final Map<String, Game> known;
    private final ScheduledExecutorService checker;
    private volatile String marker;

    public RecoveringGameStore(RedisGameStore redis, int remembered, long checkMillis) {
        this.redis = redis;
        this.known = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Game> eldest) {
                return size() > remembered;
            }
        };
        this.checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-store-check"));
        checker.scheduleWithFixedDelay(this::checkQuietly, 0, checkMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Game> find(String id) {
        Optional<Game> found = redis.find(id);
        if (found.isPresent()) {
            remember(found.get());
            return found;
        }
        Game mine = recall(id);
        if (mine == null) return found;
        LOG.warning("game " + id + " is missing from Redis; restoring version " + mine.version() + " from this instance's memory");
        redis.restore(mine);
        return redis.find(id);
    }

    @Override
    public List<Game> list(int limit) {
        List<Game> games = redis.list(limit);
        games.forEach(this::remember);
        return games;
    }

    @Override
    public boolean create(Game game) {
        boolean created = redis.create(game);
        if (created) remember(game);
        return created;
    }

    @Override
    public boolean replace(long expectedVersion, Game next) {
        boolean replaced = redis.replace(expectedVersion, next);
        if (replaced) remember(next);
        return replaced;
    }

    @Override
    public StoreHealth health() {
        return redis.health();
    }

    /**
     * Looks at the data set's marker. It changed (or was gone, and this call wrote a new one) since
     * the last look: Redis lost its data, so every remembered game is put back (newest copy wins).
     */
    void check() {
        String fresh = UUID.randomUUID().toString();
        String seen = redis.mark(fresh);
        String now = seen != null ? seen : fresh;
        String before = marker;
        marker = now;
        if (before != null && !before.equals(now)) restoreAll();
    }

    private void checkQuietly() {
        try {
            check();
        } catch (StoreUnavailableException e) {
            // Redis is down; the next look tells whether it came back empty.
        } catch (RuntimeException e) {
            LOG.warning("store check failed: " + e);
        }
    }

    private void restoreAll() {
        List<Game> mine;
        synchronized (known) {
            mine = new ArrayList<>(known.values());
        }
        int restored = 0;
        for (Game g : mine) if (redis.restore(g)) restored++;
        LOG.warning("Redis lost its data; restored " + restored + " of " + mine.size() + " games from this instance's memory");
    }

    private void remember(Game g) {
        synchronized (known) {
            Game had = known.get(g.id());
            if (had == null || had.version() < g.version()) known.put(g.id(), g);
        }
    }

    private Game recall(String id) {
        synchronized (known) {
            return known.get(id);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        redis.close();
    }
}
