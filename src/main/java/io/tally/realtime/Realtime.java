package io.tally.realtime;

import java.util.List;

/**
 * The real-time core's public face: publish to rooms, read a room's end, report status, and drain
 * on shutdown. The application uses nothing else; the transports reach the core through their own
 * SPI, wired where the application is assembled.
 */
public interface Realtime extends AutoCloseable {

    /**
     * Tells the core which rooms the application has created, beyond those published to: viewers
     * can subscribe to and poll only those (an unknown room costs nothing and is answered
     * {@code unknown-room}). Reserved rooms ({@link Rooms#isReserved}) are reachable only through a
     * directory. Each call adds one; a room is reachable when any of them names it.
     */
    void rooms(RoomDirectory directory);

    /**
     * Counts the viewers of the rooms {@code rooms} accepts, across instances ("N watching"): their
     * viewers receive {@code count} frames with the room's total, and again when it changes. Each
     * call adds rooms; none are counted by default.
     */
    void countViewers(java.util.function.Predicate<String> rooms);

    /**
     * Declares the rooms {@code rooms} accepts conflatable: a viewer that falls behind in one (its
     * send queue backs up, or it resumes far behind) gets, in place of the backlog, one message
     * merged by {@code how} and flagged {@code conflated}, instead of being disconnected as a slow
     * consumer. The first declaration naming a room decides.
     */
    void conflate(java.util.function.Predicate<String> rooms, Conflation how);

    /**
     * Publishes a payload (valid JSON text) to a room and returns its position in the room's history.
     *
     * @throws UnavailableException when it could not be published (nothing was)
     */
    Position publish(String room, String payloadJson);

    /** The position of the room's last message (offset "0" when it has none). */
    Position tip(String room);

    /** Part of a room's history read back for diagnostics: payloads (JSON text) in offset order. */
    record HistoryExcerpt(List<String> payloads, Position last, Position tip, boolean reset) {}

    /**
     * Read-only, for diagnostics (the doctor): up to {@code limit} payloads published to the room after
     * {@code since}, oldest first, with the position of the last one returned ({@code since} when none).
     * When {@code since} cannot be served (another epoch, or trimmed) {@code reset} is true, nothing is
     * returned, and {@code tip} tells where the room's history now ends.
     *
     * @throws UnavailableException when history cannot be read now
     */
    HistoryExcerpt readHistory(String room, Position since, int limit);

    /** How client addresses are told behind trusted proxies; the application's limits use the same. */
    ClientAddress clientAddress();

    RealtimeConfig config();

    Metrics metrics();

    boolean isDraining();

    RealtimeStatus status();

    /**
     * Tells every WebSocket client to reconnect after a random delay within the drain window, and
     * refuses nobody: for when the load balancer already sends new clients elsewhere. Returns how many were told.
     */
    int moveClients();

    /**
     * Drains: refuses new connections and polls, tells every client to reconnect after a random
     * delay within the drain window (so they land on other instances, spread out), answers held
     * polls, and after {@code graceMillis} closes what is left with 1001.
     */
    void drain(long graceMillis);

    /** Drains briefly unless drained already, then stops the core's threads and its broker. */
    @Override
    void close();
}
