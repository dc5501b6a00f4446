package io.tally.scoreboard;

import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.scoreboard.game.Game;
import io.tally.scoreboard.game.GameEvent;
import io.tally.scoreboard.game.GameIds;
import io.tally.scoreboard.game.GameJson;
import io.tally.scoreboard.game.GameRules;
import io.tally.scoreboard.game.LogEntry;
import io.tally.scoreboard.game.NewGame;
import io.tally.scoreboard.game.Rejected;
import io.tally.scoreboard.store.GameStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies scorers' events: read the game, apply the rules, compare-and-set it in the store, publish
 * it to the game's room and to the {@value #GAMES_ROOM} room.
 *
 * <h2>Why viewers never miss or double-apply an event (the snapshot hand-off)</h2>
 * Writers <b>save, then publish</b>; readers of a snapshot <b>read the room's tip, then the game</b>.
 * A published payload carries the change, not the world: the game's summary (everything but its log,
 * with its version) and the one log entry the event added. A viewer keeps the log it loaded with the
 * snapshot and applies a payload only if its version is the <em>next</em> one after what it shows:
 * an older one is already included and is dropped; a gap means something was missed (or never
 * published), and the viewer reloads the snapshot. For a viewer that loads a snapshot (game at version
 * V, tip position P) and subscribes from P:
 * <ul>
 *   <li>an event at an offset &le; P was published before the tip was read, so it was saved before
 *       that too, so the game read afterwards already includes it: nothing before P is missing;</li>
 *   <li>an event at an offset &gt; P is delivered by the subscription; if the snapshot already
 *       included it (saved before the read, published after the tip) its version is &le; V and the
 *       viewer drops it: nothing is applied twice;</li>
 *   <li>every version above V is saved after the game was read, hence published after the tip, hence
 *       delivered.</li>
 * </ul>
 * The alternative order (publish, then save) would let a viewer see an event for a version that then
 * fails its compare-and-set. Within one instance writes to a game are serialised by a lock held
 * across save and publish, so the room's order is the version order; across instances two writers
 * may publish in the opposite order of their versions: the newer one arrives as a gap (reload, which
 * includes both), the older one then as old (dropped).
 *
 * <p>If publishing fails (broker down) after the save, the save is compensated: the previous content
 * is stored again under a <em>new</em> version (never an old number, which a viewer may already have
 * seen in a snapshot) and the caller gets a 503, so a scorer's retry applies the event once. That
 * version is never published, so the next event reaches viewers as a gap and they reload.
 */
public final class Scorekeeper {
    public static final String GAMES_ROOM = "games";
    private static final Logger LOG = Logger.getLogger(Scorekeeper.class.getName());
    private static final int MAX_ATTEMPTS = 8;

    public record Snapshot(Game game, Position position) {}

    public record Listing(List<Game> games, Position position) {}

    private final GameStore store;
    private final RoomFeed feed;
    private final Clock clock;
    private final GameIds ids = new GameIds();
    private final ReentrantLock[] locks = new ReentrantLock[64];

    public Scorekeeper(GameStore store, RoomFeed feed, Clock clock) {
        this.store = store;
        this.feed = feed;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
    }

    /** All games (up to {@code limit}), and the {@value #GAMES_ROOM} room position to subscribe from. */
    public Listing list(int limit) {
        Position tip = feed.tip(GAMES_ROOM);
        return new Listing(store.list(limit), tip);
    }

    /** One game and its room's position to subscribe from (tip first: see the class comment). */
    public Snapshot snapshot(String id) {
        if (!GameIds.isValid(id)) throw new GameNotFound(id);
        // An unknown id must not reach the broker: reading a room's tip creates its history.
        if (store.find(id).isEmpty()) throw new GameNotFound(id);
        Position tip = feed.tip(Game.roomOf(id));
        Game game = store.find(id).orElseThrow(() -> new GameNotFound(id));
        return new Snapshot(game, tip);
    }

    /** Whether viewers may reach a room: the games list, or a stored game's room. */
    public boolean hasRoom(String room) {
        if (room.equals(GAMES_ROOM)) return true;
        String prefix = Game.roomOf("");
        if (!room.startsWith(prefix)) return false;
        String id = room.substring(prefix.length());
        return GameIds.isValid(id) && store.find(id).isPresent();
    }

    /** Creates a game; its snapshot's position is null if the broker could not announce it. */
    public Snapshot create(NewGame request) {
        return create(request, null, java.time.Duration.ZERO).snapshot();
    }

    /** A created game; {@code already}: the creating write had run before, this is the game it made. */
    public record Created(Snapshot snapshot, boolean already) {}

    /**
     * Creates a game under the write named {@code writeKey} (an idempotency key, hashed; null: none),
     * recorded with the game for {@code keep}: a retry of that write gets the game it created.
     */
    public Created create(NewGame request, String writeKey, java.time.Duration keep) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Game game = request.start(ids.next(), clock.instant());
            String id = store.create(game, writeKey, keep);
            if (id != null && !id.equals(game.id())) return new Created(snapshot(id), true);
            if (id != null) {
                // A new game that could not be announced still exists (no compensation: nobody can have
                // seen it yet); viewers learn of it from the next event or their next snapshot.
                Position position = null;
                try {
                    position = publish(game, null, () -> {});
                } catch (UnavailableException e) {
                    LOG.warning("game " + game.id() + " created but not announced: " + e.getMessage());
                }
                return new Created(new Snapshot(game, position), false);
            }
        }
        throw new IllegalStateException("could not find a free game id");
    }

    /** Stores a game as-is unless its id exists (the start-up sample game). Not published: nobody watches yet. */
    public boolean createIfAbsent(Game game) {
        return store.create(game);
    }

    /**
     * Applies one event. With {@code ifMatch}, the game must be at that version (else a
     * {@link Conflict} "version-mismatch"); without, a concurrent writer just means another try.
     */
    public Snapshot apply(String id, GameEvent event, OptionalLong ifMatch) {
        return apply(id, event, ifMatch, null).snapshot();
    }

    /** What {@link #apply(String, GameEvent, OptionalLong, String)} did. */
    public record Applied(Snapshot snapshot, OptionalLong earlier) {
        /** True if the write named by its key had been applied before (at {@link #earlier}); nothing changed now. */
        public boolean already() {
            return earlier.isPresent();
        }
    }

    /**
     * {@link #apply(String, GameEvent, OptionalLong)} for a write named {@code writeKey} (a hashed
     * idempotency key, or null). The store records the key atomically with the write, so a retry
     * after a lost answer, a dead instance or an expired claim finds it and changes nothing: the
     * answer is then the game as it is now, and the version the write produced.
     */
    public Applied apply(String id, GameEvent event, OptionalLong ifMatch, String writeKey) {
        if (!GameIds.isValid(id)) throw new GameNotFound(id);
        ReentrantLock lock = locks[Math.floorMod(id.hashCode(), locks.length)];
        lock.lock();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Game current = store.find(id).orElseThrow(() -> new GameNotFound(id));
                OptionalLong earlier = writeKey == null ? OptionalLong.empty() : store.applied(id, writeKey);
                if (earlier.isPresent()) return new Applied(snapshot(id), earlier);
                if (ifMatch.isPresent() && ifMatch.getAsLong() != current.version()) {
                    throw new Conflict(
                            "version-mismatch",
                            "the game changed since you loaded it (you had version " + ifMatch.getAsLong()
                                    + ", it is now at " + current.version() + ")",
                            current);
                }
                Game next;
                try {
                    next = GameRules.apply(current, event, clock.instant());
                } catch (Rejected r) {
                    throw new Conflict(r.status(), r.code(), r.getMessage(), current);
                }
                // False if another instance wrote first, or this very write was recorded meanwhile: re-read.
                if (!store.replace(current.version(), next, writeKey, null)) continue;
                LogEntry entry = next.log().get(next.log().size() - 1);
                Position position = publish(next, entry, () -> compensate(current, next, writeKey));
                return new Applied(new Snapshot(next, position), OptionalLong.empty());
            }
            Game current = store.find(id).orElseThrow(() -> new GameNotFound(id));
            throw new Conflict("busy", "the game is being changed by others too quickly; try again", current);
        } finally {
            lock.unlock();
        }
    }

    /** Publishes to the game's room (must succeed) and then the games room (best effort: the state is saved). */
    private Position publish(Game game, LogEntry entry, Runnable onFailure) {
        Position position;
        try {
            position = feed.publish(game.room(), JsonWriter.write(gamePayload(game, entry)));
        } catch (UnavailableException e) {
            onFailure.run();
            throw e;
        }
        try {
            feed.publish(GAMES_ROOM, JsonWriter.write(boardPayload(game)));
        } catch (UnavailableException e) {
            LOG.log(
                    Level.WARNING,
                    "game {0} v{1} saved and published to its room, but not to the games room: {2}",
                    new Object[] {game.id(), game.version(), e.getMessage()});
        }
        return position;
    }

    private void compensate(Game previous, Game failed, String writeKey) {
        Game restored =
                previous.restoredAs(failed.version() + 1, clock.instant().toString());
        try {
            // The write is taken back, so its key is forgotten: a retry really runs.
            if (!store.replace(failed.version(), restored, null, writeKey)) {
                LOG.warning("game " + failed.id() + " v" + failed.version()
                        + " was not published and was already overwritten");
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "game " + failed.id() + " v" + failed.version()
                            + " was saved but not published, and could not be restored",
                    e);
        }
    }

    /**
     * What a game's viewers receive: the new summary and the log entry the event added (none for a new
     * game). Never the log itself, so a message's size does not grow with the game's history; an undo's
     * entry names the entry it undoes ({@code undoes}), which is all a viewer needs to mark it.
     */
    static Map<String, Object> gamePayload(Game game, LogEntry entry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", entry == null ? "created" : "event");
        if (entry != null) m.put("event", GameJson.entry(entry));
        m.put("game", GameJson.summary(game));
        return m;
    }

    /** What the all-games board receives: a game's summary, without its log. */
    static Map<String, Object> boardPayload(Game game) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "game");
        m.put("game", GameJson.summary(game));
        return m;
    }
}
