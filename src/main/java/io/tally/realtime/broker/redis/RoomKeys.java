package io.tally.realtime.broker.redis;

/**
 * Redis names of a room. The {@code {room}} hash tag puts a room's stream, epoch and channel in one
 * cluster slot, so one script can touch all three and sharded pub/sub reaches the right node.
 */
final class RoomKeys {
    private static final String PREFIX = "tally:{";
    private static final String CHANNEL_SUFFIX = "}:ch";

    private RoomKeys() {}

    static String stream(String room) {
        return PREFIX + room + "}:stream";
    }

    static String epoch(String room) {
        return PREFIX + room + "}:epoch";
    }

    /** A publish's receipt, kept a minute so a retry of the same publish is recognised. */
    static String receipt(String room, String publishId) {
        return PREFIX + room + "}:pub:" + publishId;
    }

    static String channel(String room) {
        return PREFIX + room + CHANNEL_SUFFIX;
    }

    /** The room a channel belongs to, or null for any other channel (e.g. an instance's control channel). */
    static String roomOf(String channel) {
        if (!channel.startsWith(PREFIX) || !channel.endsWith(CHANNEL_SUFFIX)) return null;
        return channel.substring(PREFIX.length(), channel.length() - CHANNEL_SUFFIX.length());
    }
}
