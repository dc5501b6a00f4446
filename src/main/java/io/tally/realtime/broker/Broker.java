package io.tally.realtime.broker;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;

/**
 * Rooms' histories and the fan-out of their messages to every instance. The only part of Tally that
 * knows other instances exist; it knows nothing of transports or connections.
 *
 * <p>Implementations: {@code memory.MemoryBroker} (one instance, the default) and
 * {@code redis.RedisBroker} (Redis streams for history, pub/sub for fan-out).
 */
public interface Broker extends HistorySource, AutoCloseable {

    /** Starts delivery to {@code listener}; called once, before any other method. */
    void start(BrokerListener listener);

    /**
     * Appends {@code payload} (JSON text) to the room's history and fans it out to every instance
     * watching the room. Appending and fan-out are atomic together, so offset order is delivery order.
     * Returns the new message's position only once the message is durable in the history.
     *
     * @throws UnavailableException when the message could not be accepted: it was not
     *                                    published, and will not appear later (never accepted-then-lost)
     */
    Position publish(String room, String payload);

    @Override
    History history(String room, Position since, int limit);

    @Override
    Position tip(String room);

    /**
     * Whether the room has a history here: it was published to (or read by the core, which only
     * reads rooms a viewer may reach) and has not expired since. Creates nothing.
     *
     * @throws UnavailableException when it cannot be read now
     */
    boolean exists(String room);

    /**
     * This instance wants the room's messages. Returns only once every message published after the
     * return is sure to reach the listener (so a reader of history after {@code watch} misses
     * nothing). The Hub calls it once per room it starts needing.
     *
     * @throws UnavailableException when the subscription could not be confirmed
     */
    void watch(String room);

    /** This instance no longer needs the room's messages. */
    void unwatch(String room);

    BrokerStatus status();

    /**
     * "N watching": reports this instance's viewers per room and returns each room's total over every
     * live instance. {@code local} holds every room this instance counts viewers in (rooms absent have
     * none here); {@code changed} the rooms whose count differs from the last report this method
     * accepted (0: none left here). Called periodically by one thread, so its cost depends on the
     * number of rooms and instances, never on how often viewers come and go. An instance that stops
     * reporting has its counts expire. The default is for one instance: the totals are the local counts.
     *
     * @throws UnavailableException when the counts could not be exchanged now (the next call reports again)
     */
    default java.util.Map<String, Long> exchangeCounts(
            java.util.Map<String, Long> local, java.util.Map<String, Long> changed) {
        return local;
    }

    /** Stops delivery and releases connections. */
    @Override
    void close();
}
