package io.tally.realtime.broker.redis;

import io.tally.realtime.Position;

/**
 * A message as it travels on a room's pub/sub channel: {@code epoch \n id \n origin \n payload}, written
 * by the publish script. The origin (publishing instance) is carried for diagnostics; every instance,
 * the publisher included, delivers from the channel so that delivery order is the stream's order.
 */
record Envelope(Position position, String origin, String payload) {

    /** Null when the text is not an envelope (e.g. a heartbeat on a control channel). */
    static Envelope parse(String text) {
        int a = text.indexOf('\n');
        int b = a < 0 ? -1 : text.indexOf('\n', a + 1);
        int c = b < 0 ? -1 : text.indexOf('\n', b + 1);
        if (c < 0) return null;
        String epoch = text.substring(0, a);
        String id = text.substring(a + 1, b);
        if (epoch.isEmpty() || !Position.isValidOffset(id)) return null;
        return new Envelope(new Position(epoch, id), text.substring(b + 1, c), text.substring(c + 1));
    }
}
