package io.tally.realtime;

/**
 * The rooms the application has created, asked before a viewer may subscribe to or poll a room.
 * A room that was published to is reachable anyway (unless reserved, see {@link Rooms#isReserved});
 * the directory names the others: rooms whose content exists (a stored game) but that have had no
 * message yet, or whose history expired. May block briefly (a store lookup); answers are cached
 * only when positive.
 */
@FunctionalInterface
public interface RoomDirectory {
    boolean exists(String room);
}
