package io.tally.realtime.broker.redis;

import io.tally.realtime.Position;
import java.util.concurrent.CompletableFuture;

/**
 * A watched room as this instance sees it: the position of the last message handed to the listener
 * (null until the first subscription is confirmed). Guarded by its own monitor, so calls to the
 * listener for one room never overlap even when two connections carry it during a cluster re-route.
 */
final class RoomFeed {
    final String room;
    final String channel;
    final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    volatile Subscriber via;
    Position last;

    RoomFeed(String room) {
        this.room = room;
        this.channel = RoomKeys.channel(room);
    }
}
