package io.tally.scoreboard;

import io.tally.realtime.Position;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The two things the app needs from the real-time core, as one seam: in production the
 * {@code Realtime} facade's methods, in unit tests a list. Both methods throw
 * {@code io.tally.realtime.UnavailableException} when the broker is down.
 */
public interface RoomFeed {
    /** Appends a message to the room's history and delivers it to its viewers; returns its position. */
    Position publish(String room, String payloadJson);

    /** The position of the room's last message (offset "0" of its epoch when it has none). */
    Position tip(String room);

    /** A feed from two functions (in production, {@code Realtime::publish} and {@code Realtime::tip}). */
    static RoomFeed of(BiFunction<String, String, Position> publish, Function<String, Position> tip) {
        return new RoomFeed() {
            @Override
            public Position publish(String room, String payloadJson) {
                return publish.apply(room, payloadJson);
            }

            @Override
            public Position tip(String room) {
                return tip.apply(room);
            }
        };
    }
}
