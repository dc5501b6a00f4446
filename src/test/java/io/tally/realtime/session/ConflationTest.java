package io.tally.realtime.session;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
import io.tally.realtime.Conflation;
import io.tally.realtime.Position;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.broker.memory.MemoryBroker;
import io.tally.realtime.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keep-latest for slow viewers over {@link FakeConnection}s: in a conflatable room a viewer whose
 * queue backs up gets the latest state merged from what it missed, stays connected, and resumes from
 * the merged message's position; a fast viewer beside it gets every message.
 */
class ConflationTest {
    /** A test merge: the newest payload's "n" and how many payloads it stands for. */
    static final Conflation COUNTING = payloads -> {
        long count = 0;
        for (String p : payloads) {
            Object of = ((Map<?, ?>) io.tally.json.Json.parse(p)).get("of");
            count += of instanceof Long n ? n : 1;
        }
        Object n = ((Map<?, ?>) io.tally.json.Json.parse(payloads.get(payloads.size() - 1))).get("n");
        return "{\"n\":" + n + ",\"of\":" + count + "}";
    };

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<FakeConnection> clients = new ArrayList<>();

    private RealtimeCore core() {
        RealtimeCore core = RealtimeCore.create(
                RealtimeConfig.from(new Settings(Map.of("TALLY_SEND_QUEUE_LIMIT", "300")::get)),
                new MemoryBroker(1_000));
        core.rooms(room -> true);
        core.conflate(room -> room.startsWith("game-"), COUNTING);
        open.add(core);
        return core;
    }

    @AfterEach
    void close() throws Exception {
        for (FakeConnection c : clients) c.close(1000, "done");
        for (AutoCloseable c : open) c.close();
    }

    private FakeConnection viewer(RealtimeCore core, String room) {
        FakeConnection c = new FakeConnection(false, 300);
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        c.nextOfType("welcome");
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"conflate\":true}");
        c.nextOfType("ack");
        SessionFixture.awaitLive(core, in, c);
        return c;
    }

    private static List<Map<String, Object>> messages(FakeConnection c) {
        return c.deliveredFlat().stream()
                .filter(f -> "message".equals(f.get("type")))
                .toList();
    }

    @Test
    void aSlowViewerGetsTheLatestStateMergedAndStaysConnectedWhileAFastOneGetsEverything() {
        RealtimeCore core = core();
        FakeConnection fast = viewer(core, "game-1");
        FakeConnection slow = viewer(core, "game-1");
        slow.pause();
        Position last = null;
        for (int n = 1; n <= 500; n++) last = core.publish("game-1", "{\"n\":" + n + "}");
        // The fast viewer: every message, in order.
        for (int n = 1; n <= 500; n++)
            assertEquals((long) n, data(fast.nextOfType("message")).get("n"));
        // The slow one: its queue stopped at the backed-up mark (plus the batch that crossed it), far
        // below the queue limit (300) that would have closed it...
        int backedUpAt = 300 / 4;
        assertTrue(slow.queuedCount() <= backedUpAt + Fanout.MAX_BATCH, "queued: " + slow.queuedCount());
        assertNull(slow.closeCode(), "not disconnected as a slow consumer");
        slow.readAll();
        // ...and once it reads, one merged message brings it to the latest state.
        Map<String, Object> merged =
                slow.nextMatching(f -> f instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("conflated")))
                                instanceof Map<?, ?> m
                        ? io.tally.testing.Frames.map(m)
                        : null;
        assertEquals(500L, data(merged).get("n"));
        assertEquals(last.offset(), map(merged.get("position")).get("offset"), "its position is the last message's");
        long seen = 0;
        String previous = "0";
        for (Map<String, Object> f : messages(slow)) {
            Object of = data(f).get("of");
            seen += of instanceof Long k ? k : 1;
            String offset = (String) map(f.get("position")).get("offset");
            assertTrue(Long.parseLong(offset) > Long.parseLong(previous), "positions only move forward");
            previous = offset;
        }
        assertEquals(500, seen, "every message is in what it was shown, once");
        assertTrue(
                messages(slow).size() < 100,
                "the frames queued before it backed up and a few merged ones, not the backlog: "
                        + messages(slow).size());
        assertTrue(core.metrics().conflated() >= 1);
        // It keeps up from there, live.
        core.publish("game-1", "{\"n\":501}");
        assertEquals(
                501L,
                data(slow.nextMatching(f -> f instanceof Map<?, ?> x
                                                && "message".equals(x.get("type"))
                                                && data(io.tally.testing.Frames.map(x))
                                                        .get("n")
                                                        .equals(501L))
                                        instanceof Map<?, ?> x2
                                ? io.tally.testing.Frames.map(x2)
                                : null)
                        .get("n"));
    }

    @Test
    void aMergeThatFailsSendsTheMessagesOneByOne() {
        RealtimeCore core = core();
        core.conflate(room -> room.startsWith("broken-"), payloads -> {
            throw new IllegalArgumentException("not ours");
        });
        FakeConnection slow = viewer(core, "broken-1");
        slow.pause();
        for (int n = 1; n <= 200; n++) core.publish("broken-1", "{\"n\":" + n + "}");
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (slow.queuedCount() < 200 && slow.closeCode() == null && System.nanoTime() < deadline)
            Thread.onSpinWait();
        slow.readAll();
        assertNull(slow.closeCode(), "within the queue limit (300): kept");
        for (int n = 1; n <= 200; n++)
            assertEquals((long) n, data(slow.nextOfType("message")).get("n"));
    }

    @Test
    void aRoomThatIsNotConflatableStillClosesASlowConsumer() {
        RealtimeCore core = core();
        FakeConnection slow = viewer(core, "other");
        slow.pause();
        for (int n = 1; n <= 400; n++) core.publish("other", "{\"n\":" + n + "}");
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (slow.closeCode() == null && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(1013, slow.closeCode());
    }

    @Test
    void aResumeFarBehindInAConflatableRoomJumpsToTheLatestInOneMessage() {
        RealtimeCore core = core();
        Position start = core.publish("game-2", "{\"n\":0}");
        for (int n = 1; n <= 250; n++) core.publish("game-2", "{\"n\":" + n + "}");
        FakeConnection c = new FakeConnection(true, 100);
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-2\",\"since\":{\"epoch\":\"" + start.epoch()
                + "\",\"offset\":\"" + start.offset() + "\"},\"conflate\":true}");
        c.nextOfType("ack");
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (System.nanoTime() < deadline
                && (messages(c).isEmpty()
                        || !Long.valueOf(250)
                                .equals(data(messages(c).get(messages(c).size() - 1))
                                        .get("n")))) Thread.onSpinWait();
        List<Map<String, Object>> got = messages(c);
        assertEquals(250L, data(got.get(got.size() - 1)).get("n"));
        long seen = 0;
        for (Map<String, Object> f : got) seen += data(f).get("of") instanceof Long k ? k : 1;
        assertEquals(250, seen, "each missed message once, merged");
        assertTrue(got.size() <= 4, "one merged message per history page: " + got.size());
        assertFalse(got.isEmpty());
    }

    @Test
    void aClientThatDidNotOptInGetsEveryMessageOfAConflatableRoom() {
        RealtimeCore core = core();
        Position start = core.publish("game-3", "{\"n\":0}");
        for (int n = 1; n <= 50; n++) core.publish("game-3", "{\"n\":" + n + "}");
        FakeConnection c = new FakeConnection(true, 100);
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-3\",\"since\":{\"epoch\":\"" + start.epoch()
                + "\",\"offset\":\"" + start.offset() + "\"}}");
        c.nextOfType("ack");
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (System.nanoTime() < deadline && messages(c).size() < 50) Thread.onSpinWait();
        List<Map<String, Object>> got = messages(c);
        assertEquals(50, got.size(), "one message per event");
        for (int n = 1; n <= 50; n++)
            assertEquals((long) n, data(got.get(n - 1)).get("n"));
        assertTrue(got.stream().noneMatch(f -> Boolean.TRUE.equals(f.get("conflated"))), "nothing merged");
    }
}
