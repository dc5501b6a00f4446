package io.tally.realtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Metrics;
import io.tally.realtime.Position;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FanoutTest {
    private static final Position TIP = new Position("e", "0");

    /** Records what reaches it, as text; holds the fan-out thread inside its first delivery until released. */
    private static final class HoldingSink implements Fanout.Sink {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> seen = new ArrayList<>();
        int expected;

        @Override
        public void deliver(String room, Batch batch) {
            StringBuilder sb = new StringBuilder(room).append(':');
            for (Message m : batch.messages()) sb.append(' ').append(m.payload());
            record(sb.toString());
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void reset(String room, String reason, Position tip) {
            record(room + ": reset " + reason);
        }

        private synchronized void record(String s) {
            seen.add(s);
            notifyAll();
        }

        synchronized List<String> await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < count && System.nanoTime() < deadline) wait(50);
            return List.copyOf(seen);
        }
    }

    private static Message message(String room, int n) {
        return new Message(room, new Position("e", Integer.toString(n)), Integer.toString(n));
    }

    @Test
    void whatPiledUpDuringAFanOutLeavesAsOneBatchPerRoomInOrderWithResetsInPlace() throws Exception {
        HoldingSink sink = new HoldingSink();
        Fanout fanout = new Fanout(sink, new Metrics(), 1);
        try {
            fanout.onMessage(message("a", 1));
            assertTrue(sink.holding.await(10, TimeUnit.SECONDS));
            // The sink is busy: these return at once and wait together.
            fanout.onMessage(message("a", 2));
            fanout.onMessage(message("b", 1));
            fanout.onMessage(message("a", 3));
            fanout.onReset("a", "epoch-changed", TIP);
            fanout.onMessage(message("a", 4));
            fanout.onMessage(message("b", 2));
            sink.release.countDown();
            List<String> seen = sink.await(5);
            // Order holds per room; rooms are independent of each other.
            assertEquals(
                    List.of("a: 1", "a: 2 3", "a: reset epoch-changed", "a: 4"),
                    seen.stream().filter(x -> x.startsWith("a:")).toList());
            assertEquals(
                    List.of("b: 1 2"),
                    seen.stream().filter(x -> x.startsWith("b:")).toList());
        } finally {
            fanout.close();
        }
    }

    @Test
    void aLongBacklogIsSplitIntoBatchesOfAtMostMaxBatch() throws Exception {
        HoldingSink sink = new HoldingSink();
        Fanout fanout = new Fanout(sink, new Metrics(), 1);
        try {
            fanout.onMessage(message("a", 0));
            assertTrue(sink.holding.await(10, TimeUnit.SECONDS));
            int backlog = Fanout.MAX_BATCH * 2 + 5;
            for (int i = 1; i <= backlog; i++) fanout.onMessage(message("a", i));
            sink.release.countDown();
            List<String> seen = sink.await(4);
            assertEquals(4, seen.size(), seen.toString());
            int next = 1;
            for (String batch : seen.subList(1, 4)) {
                String[] numbers = batch.substring("a: ".length()).split(" ");
                assertTrue(numbers.length <= Fanout.MAX_BATCH, "batch of " + numbers.length);
                for (String n : numbers) assertEquals(next++, Integer.parseInt(n));
            }
            assertEquals(backlog + 1, next);
        } finally {
            fanout.close();
        }
    }

    @Test
    void roomsOnDifferentLanesDoNotWaitForEachOther() throws Exception {
        // Two room names that land on different lanes of two.
        String a = "room-a";
        String b = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> "room-b" + i)
                .filter(n -> Math.floorMod(n.hashCode(), 2) != Math.floorMod(a.hashCode(), 2))
                .findFirst()
                .orElseThrow();
        CountDownLatch aHeld = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch bDelivered = new CountDownLatch(3);
        Fanout fanout = new Fanout(
                new Fanout.Sink() {
                    @Override
                    public void deliver(String room, Batch batch) {
                        if (room.equals(a)) {
                            aHeld.countDown();
                            try {
                                releaseA.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        } else {
                            for (int i = 0; i < batch.size(); i++) bDelivered.countDown();
                        }
                    }

                    @Override
                    public void reset(String room, String reason, Position tip) {}
                },
                new Metrics(),
                2);
        try {
            fanout.onMessage(message(a, 1));
            assertTrue(aHeld.await(10, TimeUnit.SECONDS));
            for (int i = 1; i <= 3; i++) fanout.onMessage(message(b, i));
            assertTrue(bDelivered.await(10, TimeUnit.SECONDS), "room b delivered while room a's lane is busy");
        } finally {
            releaseA.countDown();
            fanout.close();
        }
    }

    @Test
    void aBatchOfOneIsTheMessagesOwnFrameAndSeveralAreAJsonArrayOfThem() {
        Message one = message("a", 1);
        Message two = message("a", 2);
        assertEquals(one.frame(), new Batch(List.of(one)).frame());
        assertEquals("[" + one.frame() + "," + two.frame() + "]", new Batch(List.of(one, two)).frame());
        assertEquals(two.frame(), new Batch(List.of(one, two)).from(1).frame());
    }
}
