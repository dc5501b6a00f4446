package io.tally.realtime.session;

import io.tally.realtime.Conflation;
import io.tally.realtime.RoomDirectory;
import io.tally.realtime.Rooms;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Broker;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What the core knows of rooms beyond their histories: which ones a viewer may reach (a room with a
 * history, or one the application's directories name) and how the application merges a room's
 * messages for a viewer that fell behind.
 */
final class RoomCatalog {
    private final Broker broker;
    private final KnownRooms known = new KnownRooms(10_000);
    private final List<RoomDirectory> directories = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<Predicate<String>, Conflation>> conflations = new CopyOnWriteArrayList<>();

    RoomCatalog(Broker broker) {
        this.broker = broker;
    }

    void add(RoomDirectory directory) {
        directories.add(Objects.requireNonNull(directory));
    }

    void conflate(Predicate<String> rooms, Conflation how) {
        conflations.add(Map.entry(Objects.requireNonNull(rooms), Objects.requireNonNull(how)));
    }

    /** The room's conflation, or null when it is not conflatable. */
    Conflation conflationOf(String room) {
        for (Map.Entry<Predicate<String>, Conflation> e : conflations) {
            if (e.getKey().test(room)) return e.getValue();
        }
        return null;
    }

    /**
     * Whether a viewer may reach the room. Asked before anything is allocated for it. A reserved
     * room is reachable only when a directory names it, never because it was published to.
     *
     * @throws UnavailableException when the broker or the directory cannot answer now
     */
    boolean reachable(String room) {
        if (known.contains(room)) return true;
        boolean yes;
        try {
            yes = Rooms.isReserved(room) ? named(room) : broker.exists(room) || named(room);
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot tell whether room " + room + " exists: " + e.getMessage(), e);
        }
        if (yes) known.add(room);
        return yes;
    }

    private boolean named(String room) {
        for (RoomDirectory d : directories) {
            if (d.exists(room)) return true;
        }
        return false;
    }
}
