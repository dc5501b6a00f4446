package io.tally.realtime.broker.memory;

import io.tally.realtime.Position;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.BrokerStatus;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The single-instance broker: each room's history is a counter and a ring of its last
 * {@code historySize} messages. Each room gets a fresh random epoch when first used, so positions
 * from an earlier run of the process are recognised as foreign and answered with a reset.
 *
 * <p>A room nobody watches and nobody published to for {@code idleMillis} is dropped (checked on
 * publish, at most a few times per idle period): held rooms stay bounded by what is in use. A later
 * reader of a dropped room gets a new epoch, hence an explicit reset, never a silent gap.
 */
public final class MemoryBroker implements Broker {
    private static final long DEFAULT_IDLE_MILLIS = TimeUnit.DAYS.toMillis(7);

    private final int historySize;
    private final long idleNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile BrokerListener listener;
    private volatile long nextSweep;

    public MemoryBroker(int historySize) {
        this(historySize, DEFAULT_IDLE_MILLIS, System::nanoTime);
    }

    /** {@code clock}: nanoseconds, as {@link System#nanoTime()}. */
    public MemoryBroker(int historySize, long idleMillis, LongSupplier clock) {
        if (historySize < 1) throw new IllegalArgumentException("historySize must be at least 1");
        if (idleMillis < 1) throw new IllegalArgumentException("idleMillis must be at least 1");
        this.historySize = historySize;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.clock = clock;
        this.nextSweep = clock.getAsLong() + idleNanos / 4;
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public Position publish(String room, String payload) {
        long now = clock.getAsLong();
        if (now - nextSweep > 0) sweep(now);
        while (true) {
            Room r = room(room);
            synchronized (r) {
                if (r.dropped) continue; // lost a race with the sweep: the next lookup makes a new room
                r.usedAt = now;
                Message m = r.append(payload);
                // Delivered under the room's lock: per room, offset order is delivery order.
                BrokerListener l = listener;
                if (l != null && watched.contains(room)) l.onMessage(m);
                return m.position();
            }
        }
    }

    @Override
    public boolean exists(String room) {
        return rooms.containsKey(room);
    }

    /** The number of rooms held (for tests and status). */
    public int roomCount() {
        return rooms.size();
    }

    private void sweep(long now) {
        nextSweep = now + idleNanos / 4;
        for (Room r : rooms.values()) {
            synchronized (r) {
                if (now - r.usedAt < idleNanos || watched.contains(r.name)) continue;
                r.dropped = true;
                rooms.remove(r.name, r);
            }
        }
    }

    @Override
    public History history(String room, Position since, int limit) {
        Room r = room(room);
        synchronized (r) {
            return r.after(since, limit);
        }
    }

    @Override
    public Position tip(String room) {
        Room r = room(room);
        synchronized (r) {
            return r.tip();
        }
    }

    @Override
    public void watch(String room) {
        watched.add(room);
    }

    @Override
    public void unwatch(String room) {
        watched.remove(room);
    }

    @Override
    public BrokerStatus status() {
        return new BrokerStatus(true, "memory", "in-memory history, single instance", 0, 0);
    }

    @Override
    public void close() {
        listener = null;
    }

    private Room room(String name) {
        return rooms.computeIfAbsent(name, n -> new Room(n, historySize, clock.getAsLong()));
    }

    /** One room's ring buffer; guarded by its own monitor. */
    private static final class Room {
        private final String name;
        private final String epoch = Epochs.random();
        private final Message[] ring;
        private long last; // offset of the newest message; 0 = none
        private long usedAt; // last publish (or creation), clock nanoseconds
        private boolean dropped;

        Room(String name, int size, long now) {
            this.name = name;
            this.ring = new Message[size];
            this.usedAt = now;
        }

        Message append(String payload) {
            last++;
            Message m = new Message(name, new Position(epoch, Long.toString(last)), payload);
            ring[(int) (last % ring.length)] = m;
            return m;
        }

        Position tip() {
            return new Position(epoch, Long.toString(last));
        }

        History after(Position since, int limit) {
            if (!epoch.equals(since.epoch())) return History.reset(History.EPOCH_CHANGED, tip());
            long from = parse(since.offset());
            if (from > last) return History.reset(History.EPOCH_CHANGED, tip()); // a future offset: not our history
            long oldest = Math.max(1, last - ring.length + 1);
            if (from + 1 < oldest) return History.reset(History.HISTORY_TRIMMED, tip());
            List<Message> out = new ArrayList<>((int) Math.min(limit, last - from));
            for (long o = from + 1; o <= last && out.size() < limit; o++) out.add(ring[(int) (o % ring.length)]);
            return History.of(out, tip());
        }

        private static long parse(String offset) {
            return Position.majorOf(offset, Long.MAX_VALUE);
        }
    }
}
