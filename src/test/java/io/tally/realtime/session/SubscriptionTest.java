package io.tally.realtime.session;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.broker.History;
import io.tally.realtime.broker.Message;
import io.tally.realtime.broker.memory.MemoryBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One room subscription over a {@link FakeConnection}: its catch-up (pages, resets, waiting for the
 * client to read, live messages buffered meanwhile) and the feed's resets once it is live.
 */
class SubscriptionTest {
    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static List<Long> ns(FakeConnection c) {
        return c.deliveredFlat().stream()
                .filter(f -> "message".equals(f.get("type")) && "game-1".equals(f.get("room")))
                .map(f -> (Long) data(f).get("n"))
                .toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long n = from; n <= to; n++) out.add(n);
        return out;
    }

    private static void publish(RealtimeCore core, int from, int to) {
        for (int n = from; n <= to; n++) core.publish("game-1", "{\"n\":" + n + "}");
    }

    /** Reads until the client has message {@code n}, letting a paused replay go on as it reads. */
    private static void readUntil(FakeConnection c, long n) {
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (!ns(c).contains(n)) {
            assertTrue(System.nanoTime() < deadline, "message " + n + " within " + FakeConnection.WAIT + ": " + ns(c));
            c.read(5);
            Thread.onSpinWait();
        }
    }

    @Test
    void aCatchUpOverSeveralHistoryPagesSendsEveryMessageOnceInOrderThenGoesLive() {
        RealtimeCore core = fixture.core(new MemoryBroker(5_000));
        Position start = core.publish("game-1", "{\"n\":0}");
        int missed = 2 * History.PAGE + 200;
        publish(core, 1, missed);
        SessionFixture.Client client = fixture.connect(core, true, 2_000);
        client.subscribe(1, "game-1", start);
        client.awaitLive();
        List<Long> seen = ns(client.connection());
        assertEquals(missed, seen.size(), "every missed message, over every page");
        assertEquals(range(1, missed), seen, "in order, once");
        long arrays = client.connection().deliveredRaw().stream()
                .filter(f -> f.startsWith("["))
                .count();
        assertEquals(missed / Fanout.MAX_BATCH, arrays, "arrays of at most 100, none across a page's end");
        core.publish("game-1", "{\"n\":" + (missed + 1) + "}");
        assertEquals(
                (long) missed + 1,
                data(client.connection().nextOfType("message")).get("n"));
    }

    @Test
    void aResumeFromTrimmedHistoryIsResetToTheTipAndGoesLiveFromThere() {
        RealtimeCore core = fixture.core(new MemoryBroker(10));
        Position gone = core.publish("game-1", "{\"n\":1}");
        publish(core, 2, 30);
        Position tip = core.tip("game-1");
        SessionFixture.Client client = fixture.connect(core, false, 100);
        client.subscribe(1, "game-1", gone);
        Map<String, Object> reset = client.connection().nextOfType("reset");
        assertEquals("history-trimmed", reset.get("reason"));
        assertEquals(tip.offset(), map(reset.get("position")).get("offset"));
        client.awaitLive();
        core.publish("game-1", "{\"n\":31}");
        client.connection().nextMatching(f -> f instanceof Map<?, ?> m && "message".equals(m.get("type")));
        assertEquals(List.of(31L), ns(client.connection()), "no message of the lost history, then live");
    }

    @Test
    void liveMessagesThatArriveDuringACatchUpFollowTheReplayOnceInOrder() {
        RealtimeCore core = fixture.core("TALLY_SEND_QUEUE_LIMIT", "20");
        FakeConnection c = pausedCatchUp(core); // the replay waits for the client to read
        // Buffered meanwhile, and few enough to fit beside the replay's last frames (at most half
        // the queue) when they are flushed into the queue as the subscription goes live.
        publish(core, 101, 105);
        readUntil(c, 105);
        c.readAll();
        assertEquals(range(1, 105), ns(c));
        assertNull(c.closeCode());
    }

    @Test
    void liveMessagesPilingUpBeyondTheQueueLimitDuringACatchUpCloseASlowConsumer() {
        RealtimeCore core = fixture.core("TALLY_SEND_QUEUE_LIMIT", "20");
        FakeConnection c = pausedCatchUp(core);
        publish(core, 101, 125); // more than the 20 a catch-up may buffer
        assertEquals(1013, awaitClose(c));
        assertEquals("slow-consumer", c.closeReason());
    }

    @Test
    void aFeedResetWhileLiveIsToldAndTheClientGoesOnFromItsPosition() {
        RealtimeCore core = fixture.core();
        core.publish("game-1", "{\"n\":1}");
        SessionFixture.Client client = fixture.connect(core, false, 100);
        client.subscribe(1, "game-1", null);
        client.awaitLive();
        core.publish("game-1", "{\"n\":2}"); // the feed stands in the room's epoch
        client.connection().nextOfType("message");
        Position restart = new Position(core.tip("game-1").epoch(), Position.START);
        core.hub().reset("game-1", History.HISTORY_TRIMMED, restart); // a failover lost what the client saw
        Map<String, Object> reset = client.connection().nextOfType("reset");
        assertEquals("history-trimmed", reset.get("reason"));
        assertEquals("0", map(reset.get("position")).get("offset"));
    }

    @Test
    void aFeedResetIntoTheEpochTheClientAlreadyStandsInIsNotToldAgainAndRepeatsNothing() {
        RealtimeCore core = fixture.core();
        publish(core, 1, 3);
        Position at = core.tip("game-1");
        SessionFixture.Client client = fixture.connect(core, false, 100);
        client.subscribe(1, "game-1", null);
        client.awaitLive();
        String epoch = at.epoch();
        // The feed still brings the room's old life, then finds the new one (the client's) and
        // replays it from its start.
        core.hub().deliver("game-1", batch("old", 7, 7));
        core.hub().reset("game-1", History.EPOCH_CHANGED, new Position(epoch, Position.START));
        core.hub().deliver("game-1", batch(epoch, 1, 4));
        Map<String, Object> next =
                map(client.connection().nextMatching(f -> f instanceof Map<?, ?> m && "game-1".equals(m.get("room"))));
        assertEquals("message", next.get("type"), "no second reset for the same loss: " + next);
        assertEquals(List.of(4L), ns(client.connection()), "each message of the new life once");
    }

    /** A client 100 messages behind that stopped reading: its catch-up waits with 10 frames queued. */
    private FakeConnection pausedCatchUp(RealtimeCore core) {
        Position start = core.publish("game-1", "{\"n\":0}");
        publish(core, 1, 100);
        SessionFixture.Client client = fixture.connect(core, false, 20);
        FakeConnection c = client.connection();
        c.pause();
        client.send(
                "{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":" + SessionFixture.json(start) + "}");
        awaitQueued(c, 10);
        return c;
    }

    private static Batch batch(String epoch, long from, long to) {
        List<Message> ms = new ArrayList<>();
        for (long n = from; n <= to; n++)
            ms.add(new Message("game-1", new Position(epoch, Long.toString(n)), "{\"n\":" + n + "}"));
        return new Batch(ms);
    }

    private static void awaitQueued(FakeConnection c, int n) {
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (c.queuedCount() < n) {
            assertTrue(System.nanoTime() < deadline, "queued " + c.queuedCount() + " of " + n);
            Thread.onSpinWait();
        }
    }

    static Integer awaitClose(FakeConnection c) {
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (c.closeCode() == null && System.nanoTime() < deadline) Thread.onSpinWait();
        return c.closeCode();
    }
}
