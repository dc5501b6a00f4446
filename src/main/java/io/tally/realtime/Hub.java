package io.tally.realtime;

import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerListener;
import io.tally.realtime.broker.Message;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rooms on this instance: who listens to which room, and the fan-out of each broker message to
 * them. The broker is asked to watch a room while at least one local subscriber needs it.
 */
final class Hub implements BrokerListener {

    /** Something local that receives a room's live messages: a WebSocket subscription or a held poll. */
    interface Subscriber {
        void deliver(Message message);

        void reset(String reason, Position tip);
    }

    private final Broker broker;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    Hub(Broker broker) {
        this.broker = broker;
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
                return;
            }
        }
    }

    void detach(String room, Subscriber subscriber) {
        Room r = rooms.get(room);
        if (r == null) return;
        synchronized (r) {
            if (!r.subscribers.remove(subscriber) || !r.subscribers.isEmpty()) return;
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

    @Override
    public void onMessage(Message message) {
        Room r = rooms.get(message.room());
        if (r == null) return;
        for (Subscriber s : r.subscribers) s.deliver(message);
    }

    @Override
    public void onReset(String room, String reason, Position tip) {
        Room r = rooms.get(room);
        if (r == null) return;
        for (Subscriber s : r.subscribers) s.reset(reason, tip);
    }

    private static final class Room {
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        boolean watched;
        boolean removed;

        Room(String name) {
        }
    }
}
