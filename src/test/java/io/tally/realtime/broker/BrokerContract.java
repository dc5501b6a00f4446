package io.tally.realtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Broker} promises, as one suite each implementation runs (as Socket.IO runs one
 * adapter suite against each adapter). Subclasses say how to make a broker whose history keeps at
 * least {@code retained} messages and trims well before {@link #OVERFLOW} more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrokerContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    /** Publishing this many messages must trim the first one away. */
    protected static final int OVERFLOW = 300;

    protected Broker broker;
    protected RecordingListener listener;

    /** A fresh broker whose history keeps at least 10 and at most about 100 messages per room. */
    protected abstract Broker newBroker();

    @BeforeEach
    void startBroker() {
        broker = newBroker();
        listener = new RecordingListener();
        broker.start(listener);
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    protected static String room(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static String json(int n) {
        return "{\"n\":" + n + "}";
    }

    protected List<Position> publish(String room, int count) {
        List<Position> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) out.add(broker.publish(room, json(i)));
        return out;
    }

    @Test
    void publishReturnsIncreasingPositionsInOneEpoch() {
        String room = room("inc");
        List<Position> ps = publish(room, 20);
        for (int i = 1; i < ps.size(); i++) {
            assertEquals(ps.get(0).epoch(), ps.get(i).epoch());
            assertTrue(ps.get(i).isAfter(ps.get(i - 1)), ps.get(i) + " after " + ps.get(i - 1));
        }
    }

    @Test
    void aNewRoomsTipIsOffsetZeroOfAStableEpoch() {
        String room = room("tip");
        Position first = broker.tip(room);
        assertEquals(Position.START, first.offset());
        assertEquals(first, broker.tip(room));
        Position p = broker.publish(room, json(1));
        assertEquals(first.epoch(), p.epoch());
        assertEquals(p, broker.tip(room));
    }

    @Test
    void historyAfterAPositionHoldsExactlyTheLaterMessagesInOrder() {
        String room = room("hist");
        List<Position> ps = publish(room, 10);
        History h = broker.history(room, ps.get(3), 100);
        assertFalse(h.isReset());
        assertEquals(
                IntStream.rangeClosed(5, 10).mapToObj(BrokerContract::json).toList(),
                h.messages().stream().map(Message::payload).toList());
        assertEquals(
                ps.subList(4, 10), h.messages().stream().map(Message::position).toList());
        assertEquals(ps.get(9), h.tip());
    }

    @Test
    void historyFromOffsetZeroHoldsEverything() {
        String room = room("zero");
        Position start = broker.tip(room);
        publish(room, 5);
        History h = broker.history(room, start, 100);
        assertEquals(
                IntStream.rangeClosed(1, 5).mapToObj(BrokerContract::json).toList(),
                h.messages().stream().map(Message::payload).toList());
    }

    @Test
    void historyAtTheTipIsEmpty() {
        String room = room("end");
        List<Position> ps = publish(room, 3);
        History h = broker.history(room, ps.get(2), 100);
        assertFalse(h.isReset());
        assertTrue(h.messages().isEmpty());
        assertEquals(ps.get(2), h.tip());
    }

    @Test
    void historyHonoursItsLimitAndContinuesFromTheLastMessage() {
        String room = room("limit");
        Position start = broker.tip(room);
        publish(room, 7);
        History first = broker.history(room, start, 3);
        assertEquals(
                List.of(json(1), json(2), json(3)),
                first.messages().stream().map(Message::payload).toList());
        History next = broker.history(room, first.messages().get(2).position(), 3);
        assertEquals(
                List.of(json(4), json(5), json(6)),
                next.messages().stream().map(Message::payload).toList());
    }

    @Test
    void aPositionFromAnotherEpochIsAnsweredWithEpochChanged() {
        String room = room("epoch");
        Position p = broker.publish(room, json(1));
        History h = broker.history(room, new Position("not-" + p.epoch(), p.offset()), 100);
        assertTrue(h.isReset());
        assertEquals(History.EPOCH_CHANGED, h.resetReason());
        assertEquals(p, h.tip());
    }

    @Test
    void aPositionBeyondTheTipIsAnsweredWithEpochChanged() {
        String room = room("future");
        Position p = broker.publish(room, json(1));
        History h = broker.history(room, new Position(p.epoch(), "99999999999999-0"), 100);
        assertEquals(History.EPOCH_CHANGED, h.resetReason());
    }

    @Test
    void aPositionOlderThanTheRetainedHistoryIsAnsweredWithHistoryTrimmed() {
        String room = room("trim");
        Position start = broker.tip(room);
        List<Position> ps = publish(room, OVERFLOW);
        History fromStart = broker.history(room, start, 10);
        assertEquals(History.HISTORY_TRIMMED, fromStart.resetReason());
        assertEquals(ps.get(OVERFLOW - 1), fromStart.tip());
        assertEquals(
                History.HISTORY_TRIMMED, broker.history(room, ps.get(0), 10).resetReason());
        // recent positions are still served
        History recent = broker.history(room, ps.get(OVERFLOW - 4), 10);
        assertFalse(recent.isReset());
        assertEquals(
                List.of(json(OVERFLOW - 2), json(OVERFLOW - 1), json(OVERFLOW)),
                recent.messages().stream().map(Message::payload).toList());
    }

    @Test
    void payloadsRoundTripUnchanged() {
        String room = room("payload");
        String payload = "{\"text\":\"line one\\nline two\",\"raw\":\"é ✓ \n\",\"n\":[1,2]}";
        Position start = broker.tip(room);
        broker.watch(room);
        broker.publish(room, payload);
        assertEquals(payload, broker.history(room, start, 10).messages().get(0).payload());
        listener.awaitCount(room, 1, WAIT);
        assertEquals(payload, listener.messages(room).get(0).payload());
    }

    @Test
    void aWatchedRoomsMessagesReachTheListenerInOrderOnce() {
        String room = room("watch");
        broker.watch(room);
        List<Position> ps = publish(room, 50);
        listener.awaitCount(room, 50, WAIT);
        String marker = "{\"marker\":true}";
        broker.publish(room, marker);
        listener.awaitPayload(room, marker, WAIT);
        List<Message> got = listener.messages(room);
        assertEquals(51, got.size(), () -> "duplicates? " + listener.payloads(room));
        assertEquals(ps, got.subList(0, 50).stream().map(Message::position).toList());
        assertTrue(listener.resets(room).isEmpty());
        assertTrue(listener.overlaps().isEmpty());
    }

    @Test
    void aRoomNotWatchedIsNotDelivered() {
        String watched = room("seen");
        String other = room("unseen");
        broker.watch(watched);
        broker.publish(other, json(1));
        broker.publish(watched, json(2));
        listener.awaitPayload(watched, json(2), WAIT);
        assertTrue(listener.messages(other).isEmpty());
    }

    @Test
    void unwatchStopsDelivery() {
        String room = room("unwatch");
        String marker = room("marker");
        broker.watch(room);
        broker.watch(marker);
        broker.publish(room, json(1));
        listener.awaitPayload(room, json(1), WAIT);
        broker.unwatch(room);
        broker.publish(room, json(2));
        broker.publish(marker, json(3));
        listener.awaitPayload(marker, json(3), WAIT);
        assertEquals(List.of(json(1)), listener.payloads(room));
    }

    @Test
    void watchingAgainAfterUnwatchDeliversAgain() {
        String room = room("rewatch");
        broker.watch(room);
        broker.unwatch(room);
        broker.watch(room);
        Position p = broker.publish(room, json(1));
        listener.awaitPayload(room, json(1), WAIT);
        assertEquals(
                List.of(p),
                listener.messages(room).stream().map(Message::position).toList());
    }

    @Test
    void manyRoomsDeliverConcurrentlyEachInOrder() throws Exception {
        List<String> rooms =
                IntStream.range(0, 4).mapToObj(i -> room("multi" + i)).toList();
        rooms.forEach(broker::watch);
        List<Thread> publishers = new ArrayList<>();
        for (String r : rooms) {
            Thread t = new Thread(() -> publish(r, 40));
            publishers.add(t);
            t.start();
        }
        for (Thread t : publishers) t.join();
        for (String r : rooms) {
            listener.awaitCount(r, 40, WAIT);
            assertEquals(
                    IntStream.rangeClosed(1, 40).mapToObj(BrokerContract::json).toList(), listener.payloads(r));
        }
        assertTrue(listener.overlaps().isEmpty());
    }

    @Test
    void statusReportsAvailable() {
        Await.until(
                WAIT, () -> broker.status().available(), () -> broker.status().toString());
        assertNotEquals("", broker.status().mode());
    }
}
