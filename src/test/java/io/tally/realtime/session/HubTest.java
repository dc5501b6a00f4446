package io.tally.realtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub alone, over the in-memory broker (counted): who gets a room's batches, resets and viewer
 * totals, when the broker is asked to watch a room and when a room is let go.
 */
class HubTest {
    private final CountingBroker broker = new CountingBroker();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final Hub hub = new Hub(broker, scheduler);

    @AfterEach
    void close() {
        scheduler.shutdownNow();
        broker.close();
    }

    /** Records what reaches it, in order. */
    private static class Recorder implements Hub.Subscriber {
        final List<String> seen = new ArrayList<>();

        @Override
        public void deliver(Batch batch) {
            for (Message m : batch.messages()) seen.add(m.payload());
        }

        @Override
        public void reset(String reason, Position tip) {
            seen.add("reset:" + reason + "@" + tip.offset());
        }
    }

    private static Batch batch(String room, long from, int count) {
        List<Message> ms = new ArrayList<>();
        for (long o = from; o < from + count; o++)
            ms.add(new Message(room, new Position("e", Long.toString(o)), "{\"n\":" + o + "}"));
        return new Batch(ms);
    }

    @Test
    void aBatchReachesEverySubscriberOfItsRoomOnlyAndIsRememberedAsTheLastSeen() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder other = new Recorder();
        hub.attach("game-1", a);
        hub.attach("game-1", b);
        hub.attach("game-2", other);
        hub.deliver("game-1", batch("game-1", 1, 3));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), a.seen);
        assertEquals(a.seen, b.seen);
        assertTrue(other.seen.isEmpty());
        assertTrue(hub.isLastSeen("game-1", new Position("e", "3")));
        assertFalse(hub.isLastSeen("game-1", new Position("e", "2")));
    }

    @Test
    void aFailingSubscriberDoesNotCostTheOthersTheBatch() {
        Recorder good = new Recorder();
        hub.attach("game-1", new Hub.Subscriber() {
            @Override
            public void deliver(Batch batch) {
                throw new IllegalStateException("a subscriber's bug");
            }

            @Override
            public void reset(String reason, Position tip) {
                throw new IllegalStateException("a subscriber's bug");
            }
        });
        hub.attach("game-1", good);
        hub.deliver("game-1", batch("game-1", 1, 1));
        hub.reset("game-1", "history-lost", new Position("e2", "0"));
        assertEquals(List.of("{\"n\":1}", "reset:history-lost@0"), good.seen);
    }

    @Test
    void aResetReachesTheSubscribersAndForgetsTheLastSeen() {
        Recorder a = new Recorder();
        hub.attach("game-1", a);
        hub.deliver("game-1", batch("game-1", 1, 2));
        hub.reset("game-1", "epoch-changed", new Position("e2", "0"));
        assertEquals("reset:epoch-changed@0", a.seen.get(a.seen.size() - 1));
        assertFalse(hub.isLastSeen("game-1", new Position("e", "2")), "the feed may have a gap after a reset");
    }

    @Test
    void aDetachedSubscriberGetsNothingMoreAndAnIdleRoomIsLetGo() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.attach("game-1", a);
        hub.attach("game-1", b);
        hub.detach("game-1", a);
        hub.deliver("game-1", batch("game-1", 1, 1));
        assertTrue(a.seen.isEmpty());
        assertEquals(1, b.seen.size());
        assertEquals(1, hub.roomCount(), "a room stays while it has a subscriber");
        scheduler.shutdownNow(); // the linger cannot be scheduled: the room is let go at once
        hub.detach("game-1", b);
        assertEquals(0, hub.roomCount());
        hub.attach("game-1", a); // and can be attached again
        hub.deliver("game-1", batch("game-1", 2, 1));
        assertEquals(List.of("{\"n\":2}"), a.seen);
    }

    /** Runs the lingering unwatches now, as if their time had come. */
    private void lingerEnds() {
        for (Runnable task : scheduler.getQueue().toArray(Runnable[]::new)) {
            scheduler.remove(task);
            task.run();
        }
    }

    @Test
    void aRoomIsWatchedOnceForAllItsSubscribersAndLetGoOnlyAfterTheLingerWithNone() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.attach("game-1", a);
        hub.attach("game-1", b);
        assertEquals(1, broker.watches.get(), "one broker subscription per room, not per subscriber");
        hub.detach("game-1", a);
        hub.detach("game-1", b);
        assertEquals(0, broker.unwatches.get(), "a poller comes back at once: the room lingers");
        lingerEnds();
        assertEquals(1, broker.unwatches.get());
        assertEquals(0, hub.roomCount());
    }

    @Test
    void aSubscriberBackWithinTheLingerKeepsTheRoomWatched() {
        Recorder a = new Recorder();
        hub.attach("game-1", a);
        hub.detach("game-1", a);
        hub.attach("game-1", a); // the next poll
        lingerEnds();
        assertEquals(1, broker.watches.get());
        assertEquals(0, broker.unwatches.get());
        hub.deliver("game-1", batch("game-1", 1, 1));
        assertEquals(List.of("{\"n\":1}"), a.seen);
    }

    @Test
    void aWatchTheBrokerRefusesFailsTheAttachAndLeavesNoRoomBehind() {
        broker.refuseWatches = true;
        assertThrows(UnavailableException.class, () -> hub.attach("game-1", new Recorder()));
        assertEquals(0, hub.roomCount());
        broker.refuseWatches = false;
        Recorder a = new Recorder();
        hub.attach("game-1", a); // the next attach asks the broker again
        assertEquals(1, broker.watches.get());
        hub.deliver("game-1", batch("game-1", 1, 1));
        assertEquals(1, a.seen.size());
    }

    @Test
    void viewerTotalsReachTheRoomsSubscribersAndSamplesCountThePeak() {
        List<Long> heard = new ArrayList<>();
        Hub.Subscriber counter = new Recorder() {
            @Override
            public void count(String room, long viewers) {
                heard.add(viewers);
            }
        };
        Recorder other = new Recorder();
        hub.attach("game-1", counter);
        hub.attach("game-1", other);
        hub.attach("game-2", new Recorder());
        hub.detach("game-1", other);
        hub.count("game-1", 42);
        assertEquals(List.of(42L), heard);
        assertEquals(
                java.util.Map.of("game-1", 2L),
                hub.sampleCounts(room -> room.equals("game-1")),
                "the peak since the last sample");
        assertEquals(java.util.Map.of("game-1", 1L), hub.sampleCounts(room -> room.equals("game-1")));
    }
}
