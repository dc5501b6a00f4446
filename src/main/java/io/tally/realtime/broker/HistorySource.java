package io.tally.realtime.broker;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;

/** Where rooms' histories are read: the broker, or a broker's own commands ({@link HistoryReader} reads them). */
public interface HistorySource {
    /**
     * Up to {@code limit} messages after {@code since}, in offset order; or a reset if {@code since}
     * is from another epoch or older than the retained history.
     *
     * @throws UnavailableException when history cannot be read now
     */
    History history(String room, Position since, int limit);

    /**
     * The room's end: the position of its last message, or offset {@code "0"} of the room's epoch if
     * it has none. Creates the room's epoch on first use.
     *
     * @throws UnavailableException when it cannot be read now
     */
    Position tip(String room);
}
