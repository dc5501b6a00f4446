package io.tally.scoreboard.store;

import io.tally.concurrent.DaemonThreads;
import io.tally.scoreboard.game.Game;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * The Redis store, plus a way back when Redis loses its data (a restart without persistence, a flush,
 * a failover to an empty replica) that never merges histories silently.
 *
 * <p>The data set has an epoch, a random name for one life of it. Every instance remembers the epoch
 * it last saw and the newest version of each game it has read or written. When it finds another epoch
 * (on its periodic check, or on any read), Redis lost its data: the first instance to notice opens a
 * restore window for the new epoch, and every instance that notices while it is open offers its
 * copies; per game the highest version wins. A game offered in the window can be neither read nor
 * written until the window closes ({@link StoreRestoringException}, 503), so no instance answers from
 * or writes on a copy older than one another instance is still about to offer. The window must be
 * longer than the slowest instance needs to notice (its check interval plus a command timeout).
 * An offer that comes after the window is refused and logged, never merged: by then new versions
 * may have been written on the restored state. Changes no running instance saw are lost with Redis.
 */
public final class RecoveringGameStore implements GameStore {
    private static final Logger LOG = Logger.getLogger(RecoveringGameStore.class.getName());

    private final RedisGameStore redis;
    private final long windowMillis;
    private final IntSupplier alsoOffer;
    private final Map<String, Copy> known;

    /** A game as this instance last saw it, with its recorded writes (null: not seen), offered back together. */
    private record Copy(Game game, String writes) {}

    private final ScheduledExecutorService checker;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private volatile String epoch;

    /**
     * @param remembered   how many games this instance remembers (the most recently used)
     * @param checkMillis  how often it checks the store's epoch without being asked
     * @param windowMillis how long a restore window stays open after a data loss
     */
    public RecoveringGameStore(RedisGameStore redis, int remembered, long checkMillis, long windowMillis) {
        this(redis, remembered, checkMillis, windowMillis, () -> 0);
    }

    /** @param alsoOffer offers what else this instance remembers (idempotency records); returns how many went back */
    RecoveringGameStore(
            RedisGameStore redis, int remembered, long checkMillis, long windowMillis, IntSupplier alsoOffer) {
        this.redis = redis;
        this.alsoOffer = alsoOffer;
        this.windowMillis = windowMillis;
        this.known = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
                return size() > remembered;
            }
        };
        this.checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-store-check"));
        checker.scheduleWithFixedDelay(this::checkQuietly, 0, checkMillis, TimeUnit.MILLISECONDS);
    }

    /** @throws StoreRestoringException while the game is being restored, or is missing during a restore window */
    @Override
    public Optional<Game> find(String id) {
        String seen = epoch; // read before Redis: the checker may learn the first epoch meanwhile
        RedisGameStore.Read r = redis.read(id);
        if (!Objects.equals(r.epoch(), seen)) {
            if (seen != null) {
                // Another life of the data set: this instance's offers run on the checker (thousands
                // of games must not hold a request thread), and nothing is answered until they are in.
                checkSoon();
                throw RedisGameStore.restoring(id, windowMillis);
            }
            check(); // this instance's first look: it has nothing to offer, so it is quick
            r = redis.read(id);
        }
        if (r.locked() || (r.game() == null && r.windowLeftMillis() > 0)) {
            throw RedisGameStore.restoring(id, r.windowLeftMillis());
        }
        if (r.game() == null) return Optional.empty();
        remember(r.game(), r.writes());
        return Optional.of(r.game());
    }

    @Override
    public List<Game> list(int limit) {
        List<Game> games = redis.list(limit);
        games.forEach(g -> remember(g, null));
        return games;
    }

    @Override
    public String create(Game game, String record, java.time.Duration keep) {
        String created = redis.create(game, record, keep);
        if (game.id().equals(created)) remember(game, null);
        return created;
    }

    @Override
    public boolean replace(long expectedVersion, Game next, String record, String forget) {
        boolean replaced = redis.replace(expectedVersion, next, record, forget);
        if (replaced) {
            String had;
            synchronized (known) {
                Copy c = known.get(next.id());
                had = c == null ? null : c.writes();
            }
            remember(next, RedisGameStore.recorded(had, record, forget, next.version()));
        }
        return replaced;
    }

    @Override
    public java.util.OptionalLong applied(String id, String key) {
        return redis.applied(id, key);
    }

    @Override
    public StoreHealth health() {
        return redis.health();
    }

    /** Reads the store's epoch; if it is not the one this instance saw last, offers every remembered game. */
    synchronized void check() {
        String before = epoch;
        RedisGameStore.Check c = redis.check(before, UUID.randomUUID().toString(), windowMillis);
        if (before != null && !before.equals(c.epoch())) offerAll(before, c);
        epoch = c.epoch();
    }

    private void checkSoon() {
        if (!checkQueued.compareAndSet(false, true)) return;
        try {
            checker.execute(this::checkQuietly);
        } catch (RejectedExecutionException closed) {
            checkQueued.set(false);
        }
    }

    private void checkQuietly() {
        checkQueued.set(false);
        try {
            check();
        } catch (StoreUnavailableException e) {
            // Redis is down; the next look tells whether it came back empty.
        } catch (RuntimeException e) {
            LOG.warning("store check failed: " + e);
        }
    }

    private void offerAll(String before, RedisGameStore.Check c) {
        List<Copy> mine;
        synchronized (known) {
            mine = new ArrayList<>(known.values());
        }
        // From now on this instance remembers only the new life: a copy from the old one that did not
        // go back into Redis must never be offered later, on top of what was written since.
        List<String> keep = new ArrayList<>();
        if (c.windowLeftMillis() <= 0) {
            forgetAllBut(keep);
            LOG.warning("Redis lost its data (store epoch " + before + " is now " + c.epoch()
                    + ") and its restore window " + "closed before this instance noticed: its copies of " + mine.size()
                    + " games are not merged");
            return;
        }
        int stored = 0;
        int older = 0;
        List<String> late = new ArrayList<>();
        List<String> divergent = new ArrayList<>();
        for (Copy copy : mine) {
            Game g = copy.game();
            switch (redis.offer(g, c.epoch(), copy.writes())) {
                case STORED -> {
                    stored++;
                    keep.add(g.id());
                }
                case OLDER -> older++;
                case DIVERGENT -> divergent.add(g.id() + " v" + g.version());
                case LATE -> late.add(g.id() + " v" + g.version());
            }
        }
        forgetAllBut(keep);
        int answers = alsoOffer.getAsInt();
        LOG.warning("Redis lost its data (store epoch " + before + " is now " + c.epoch() + "); offered " + mine.size()
                + " games from this instance's memory: " + stored + " restored, " + older + " already as new in Redis"
                + "; " + answers + " idempotent answers put back"
                + (late.isEmpty() ? "" : ", " + late.size() + " too late (not merged): " + first(late))
                + (divergent.isEmpty()
                        ? ""
                        : ", " + divergent.size() + " with the same version but other content (kept Redis's): "
                                + first(divergent)));
    }

    private void forgetAllBut(List<String> ids) {
        synchronized (known) {
            known.keySet().retainAll(ids);
        }
    }

    private static String first(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(10, items.size()))) + (items.size() > 10 ? ", …" : "");
    }

    /** {@code writes} null: not read with the game; the copy keeps what it knew (at worst fewer records). */
    private void remember(Game g, String writes) {
        synchronized (known) {
            Copy had = known.get(g.id());
            if (had == null
                    || had.game().version() < g.version()
                    || (had.game().version() == g.version() && writes != null)) {
                known.put(g.id(), new Copy(g, writes != null ? writes : had == null ? null : had.writes()));
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        redis.close();
    }
}
