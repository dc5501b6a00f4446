package io.tally.realtime.session;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Broker;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rooms on this instance: who listens to which room, and the fan-out of each broker message to
 * them. The broker is asked to watch a room while at least one local subscriber needs it.
 */
final class Hub implements Fanout.Sink {
    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    /** Something local that receives a room's live messages: a WebSocket subscription or a held poll. */
    interface Subscriber {
        void deliver(Batch batch);

        void reset(String reason, Position tip);

        /** The room's viewer total over every instance changed ("N watching"). */
        default void count(String room, long viewers) {}
    }

    /** How long a room stays watched after its last local subscriber left: polls come and go. */
    static final long LINGER_MILLIS = 30_000;

    private final Broker broker;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    Hub(Broker broker, ScheduledExecutorService scheduler) {
        this.broker = broker;
        this.scheduler = scheduler;
    }

    /**
     * Adds a subscriber; when this returns, every message published afterwards reaches it.
     *
     * @throws UnavailableException when the broker cannot watch the room now
     */
    void attach(String room, Subscriber subscriber) {
        while (true) {
            Room r = rooms.computeIfAbsent(room, Room::new);
            synchronized (r) {
                if (r.removed) continue; // lost a race with the last detach; take the new entry
                if (!r.watched) {
                    try {
                        broker.watch(room);
                    } catch (RuntimeException e) {
                        if (r.subscribers.isEmpty()) {
                            r.removed = true;
                            rooms.remove(room, r);
                        }
                        throw e;
                    }
                    r.watched = true;
                }
                r.subscribers.add(subscriber);
                r.peak = Math.max(r.peak, r.subscribers.size());
                return;
            }
        }
    }

    void detach(String room, Subscriber subscriber) {
        Room r = rooms.get(room);
        if (r == null) return;
        synchronized (r) {
            if (!r.subscribers.remove(subscriber) || !r.subscribers.isEmpty()) return;
        }
        // A long-poller detaches and re-attaches every poll: keep watching for a while rather than
        // paying a broker round trip (a Redis SUBSCRIBE) each time.
        try {
            scheduler.schedule(() -> unwatchIfIdle(room, r), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            unwatchIfIdle(room, r);
        }
    }

    private void unwatchIfIdle(String room, Room r) {
        synchronized (r) {
            if (r.removed || !r.subscribers.isEmpty()) return;
            r.removed = true;
            rooms.remove(room, r);
            if (r.watched) {
                try {
                    broker.unwatch(room);
                } catch (RuntimeException ignored) {
                    // The broker forgets its subscriptions when it reconnects anyway.
                }
            }
        }
    }

    int roomCount() {
        return rooms.size();
    }

    /**
     * Local subscribers of each room that {@code counted} accepts, as the most there were at once
     * since the previous sample (a long-poller leaves and comes back with every answer: the peak
     * counts it through the gap). Rooms with none are left out.
     */
    Map<String, Long> sampleCounts(java.util.function.Predicate<String> counted) {
        Map<String, Long> out = new HashMap<>();
        rooms.forEach((name, r) -> {
            if (!counted.test(name)) return;
            int n;
            synchronized (r) {
                n = r.peak;
                r.peak = r.subscribers.size();
            }
            if (n > 0) out.put(name, (long) n);
        });
        return out;
    }

    /** Tells the room's local subscribers its new viewer total. */
    void count(String room, long viewers) {
        Room r = rooms.get(room);
        if (r == null) return;
        for (Subscriber s : r.subscribers) {
            try {
                s.count(room, viewers);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "count to a subscriber of " + room + " failed", e);
            }
        }
    }

    /**
     * Whether {@code position} is the last message this instance's live feed brought for the room,
     * with no reset since and the room watched throughout. A poll attached before asking, and told
     * yes, misses nothing by skipping the history read: everything newer reaches it through the
     * feed (the fan-out records a batch's end before handing the batch to subscribers).
     */
    boolean isLastSeen(String room, Position position) {
        Room r = rooms.get(room);
        return r != null && position.equals(r.lastSeen);
    }

    @Override
    public void deliver(String room, Batch batch) {
        Room r = rooms.get(room);
        if (r == null) return;
        r.lastSeen = batch.messages().get(batch.size() - 1).position();
        for (Subscriber s : r.subscribers) {
            try {
                s.deliver(batch);
            } catch (RuntimeException e) { // one subscriber's bug must not cost the others the batch
                LOG.log(Level.WARNING, "delivery to a subscriber of " + room + " failed", e);
            }
        }
    }

    @Override
    public void reset(String room, String reason, Position tip) {
        Room r = rooms.get(room);
        if (r == null) return;
        r.lastSeen = null; // the feed may have a gap here
        for (Subscriber s : r.subscribers) {
            try {
                s.reset(reason, tip);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reset of a subscriber of " + room + " failed", e);
            }
        }
    }

    private static final class Room {
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        boolean watched;
        boolean removed;
        int peak; // the most subscribers at once since the last count sample
        /** The newest position the feed brought since the room was first watched; null after a reset. */
        volatile Position lastSeen;

        Room(String name) {}
    }
}
