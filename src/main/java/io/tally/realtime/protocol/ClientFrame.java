package io.tally.realtime.protocol;

import io.tally.realtime.Position;

/** A decoded frame from a client. Each kind carries only what the protocol defines for it. */
public sealed interface ClientFrame {
    record Hello(int version) implements ClientFrame {}

    /** {@code since} is null for "from the room's current end". */
    record Subscribe(long id, String room, Position since, boolean conflate) implements ClientFrame {
        public Subscribe(long id, String room, Position since) {
            this(id, room, since, false);
        }
    }

    record Unsubscribe(long id, String room) implements ClientFrame {}

    /** A ping from the client; {@code id} is null for none. */
    record Ping(Long id) implements ClientFrame {}

    record Pong() implements ClientFrame {}
}
