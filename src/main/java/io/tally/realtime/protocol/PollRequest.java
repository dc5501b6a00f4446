package io.tally.realtime.protocol;

import io.tally.realtime.Position;
import java.util.Map;

/**
 * A decoded long-poll body: whether a welcome is wanted, each room's position (null: from its end),
 * the viewer totals the client shows for the rooms it wants counts of (-1: none yet), and whether it
 * takes merged messages for conflatable rooms.
 */
public record PollRequest(boolean hello, Map<String, Position> rooms, Map<String, Long> counts, boolean conflate) {
    public PollRequest(boolean hello, Map<String, Position> rooms) {
        this(hello, rooms, Map.of(), false);
    }
}
