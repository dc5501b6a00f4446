package io.tally.realtime.session;

import java.util.LinkedHashMap;
import java.util.Map;

/** Rooms known to exist, the most recently asked first out of a bounded set. Positive answers only. */
final class KnownRooms {
    private final Map<String, Boolean> rooms;

    KnownRooms(int capacity) {
        this.rooms = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String room) {
        return rooms.get(room) != null;
    }

    synchronized void add(String room) {
        rooms.put(room, Boolean.TRUE);
    }
}
