package io.tally.realtime.broker.redis;

import io.tally.realtime.Position;

/**
 * A message as it travels on a room's pub/sub channel: {@code epoch \n id \n origin[ previous] \n payload},
 * written by the publish script. The origin (publishing instance) is carried for diagnostics; every
 * instance, the publisher included, delivers from the channel so that delivery order is the stream's
 * order. {@code previous} is the stream entry just before this one (absent for a stream's first entry):
 * pub/sub may drop a message without a trace (a failover, a slot move), the stream does not. It rides on
 * the origin line so an instance that predates it still reads the payload right during a rolling deploy.
 */
record Envelope(Position position, String origin, Position previous, String payload) {

    /** Null when the text is not an envelope (e.g. a heartbeat on a control channel). */
    static Envelope parse(String text) {
        int a = text.indexOf('\n');
        int b = a < 0 ? -1 : text.indexOf('\n', a + 1);
        int c = b < 0 ? -1 : text.indexOf('\n', b + 1);
        if (c < 0) return null;
        String epoch = text.substring(0, a);
        String id = text.substring(a + 1, b);
        if (epoch.isEmpty() || !Position.isValidOffset(id)) return null;
        String origin = text.substring(b + 1, c);
        Position previous = null;
        int space = origin.lastIndexOf(' ');
        if (space >= 0 && Position.isValidOffset(origin.substring(space + 1))) {
            previous = new Position(epoch, origin.substring(space + 1));
            origin = origin.substring(0, space);
        }
        return new Envelope(new Position(epoch, id), origin, previous, text.substring(c + 1));
    }
}
