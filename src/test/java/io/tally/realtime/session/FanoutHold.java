package io.tally.realtime.session;

import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tests only: holds an instance's fan-out thread inside the delivery of a room's next message, so
 * that whatever is published meanwhile leaves together as one batch when the hold is closed.
 * Deterministic batching without timing: publish one message, {@link #awaitHeld()}, publish more,
 * close. The room's subscriptions must be live first (a message received proves it): one still
 * catching up replays its buffer a frame per message.
 */
public final class FanoutHold implements AutoCloseable {
    private final RealtimeCore realtime;
    private final String room;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Hub.Subscriber staller = new Hub.Subscriber() {
        @Override
        public void deliver(Batch batch) {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void reset(String reason, Position tip) {}
    };

    private FanoutHold(RealtimeCore realtime, String room) {
        this.realtime = realtime;
        this.room = room;
        realtime.hub().attach(room, staller);
    }

    public static FanoutHold on(Realtime realtime, String room) {
        return new FanoutHold((RealtimeCore) realtime, room);
    }

    /** Waits until the fan-out thread is held (a message of the room has reached it). */
    public void awaitHeld() throws InterruptedException {
        if (!held.await(10, TimeUnit.SECONDS)) throw new AssertionError("the fan-out never reached " + room);
    }

    @Override
    public void close() {
        release.countDown();
        realtime.hub().detach(room, staller);
    }
}
