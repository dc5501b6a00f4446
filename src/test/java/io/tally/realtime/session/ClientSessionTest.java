package io.tally.realtime.session;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
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
 * The protocol of one persistent connection over a {@link FakeConnection}: subscribe, resume,
 * reset, batches, replay as the client reads, slow consumers and drain, in milliseconds.
 */
class ClientSessionTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    private RealtimeCore core(String... settings) {
        Map<String, String> s = new java.util.HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) s.put(settings[i], settings[i + 1]);
        RealtimeCore core = RealtimeCore.create(RealtimeConfig.from(new Settings(s::get)), new MemoryBroker(1_000));
        open.add(core);
        return core;
    }

    @AfterEach
    void close() throws Exception {
        for (FakeConnection c : clients) c.close(1000, "done"); // clients leave, so no drain grace is waited
        for (AutoCloseable c : open) c.close();
    }

    private final List<FakeConnection> clients = new ArrayList<>();

    private ConnectionHandler.Inbound connect(RealtimeCore core, FakeConnection c) {
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        c.nextOfType("welcome");
        return in;
    }

    private static String since(Position p) {
        return "{\"epoch\":\"" + p.epoch() + "\",\"offset\":\"" + p.offset() + "\"}";
    }

    @Test
    void subscribeFromNowGetsTheTipThenEveryLiveMessageInOrder() {
        RealtimeCore core = core();
        Position before = core.publish("game-1", "{\"n\":0}");
        FakeConnection c = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
        Map<String, Object> ack = c.nextOfType("ack");
        assertEquals(before.offset(), map(ack.get("position")).get("offset"), "from now: the room's tip");
        for (int n = 1; n <= 20; n++) core.publish("game-1", "{\"n\":" + n + "}");
        for (int n = 1; n <= 20; n++)
            assertEquals((long) n, data(c.nextOfType("message")).get("n"));
        // Messages published while the subscription still starts are queued; once it is live the
        // fan-out writes them itself. A loaded machine may start it late, so wait for that with a deadline.
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int n = 21; c.inlineSends() == 0 && System.nanoTime() < deadline; n++) {
            core.publish("game-1", "{\"n\":" + n + "}");
            assertEquals((long) n, data(c.nextOfType("message")).get("n"));
        }
        assertTrue(c.inlineSends() > 0, "live messages leave through the fan-out's inline path");
    }

    @Test
    void resumeReplaysWhatWasMissedOnceThenGoesLive() {
        RealtimeCore core = core();
        Position p = null;
        for (int n = 1; n <= 10; n++) {
            Position q = core.publish("game-1", "{\"n\":" + n + "}");
            if (n == 4) p = q;
        }
        FakeConnection c = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":" + since(p) + "}");
        c.nextOfType("ack");
        for (int n = 5; n <= 10; n++)
            assertEquals((long) n, data(c.nextOfType("message")).get("n"));
        core.publish("game-1", "{\"n\":11}");
        assertEquals(11L, data(c.nextOfType("message")).get("n"), "live right after the replay, nothing twice");
    }

    @Test
    void aPositionFromAnotherEpochGetsAReset() {
        RealtimeCore core = core();
        core.publish("game-1", "{\"n\":1}");
        FakeConnection c = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame(
                "{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":{\"epoch\":\"gone\",\"offset\":\"3\"}}");
        c.nextOfType("ack");
        Map<String, Object> reset = c.nextOfType("reset");
        assertEquals("epoch-changed", reset.get("reason"));
    }

    @Test
    void aReplayToABatchClientLeavesInArraysOfAtMostOneHundred() {
        RealtimeCore core = core();
        Position start = core.publish("game-1", "{\"n\":0}");
        for (int n = 1; n <= 250; n++) core.publish("game-1", "{\"n\":" + n + "}");
        FakeConnection c = new FakeConnection(true, 1_000);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":" + since(start) + "}");
        c.nextMatching(f -> f instanceof List<?> l
                && data(map(l.get(l.size() - 1))).get("n").equals(250L));
        long arrays = c.deliveredRaw().stream().filter(f -> f.startsWith("[")).count();
        assertEquals(3, arrays, "250 messages as 100 + 100 + 50");
        List<Long> seen = c.deliveredFlat().stream()
                .filter(f -> "message".equals(f.get("type")))
                .map(f -> (Long) data(f).get("n"))
                .toList();
        assertEquals(250, seen.size());
        for (int i = 0; i < seen.size(); i++) assertEquals(i + 1L, seen.get(i));
    }

    @Test
    void aReplayWaitsForTheClientToReadWithoutHoldingAThreadAndLosesNothing() {
        RealtimeCore core = core("TALLY_SEND_QUEUE_LIMIT", "20");
        Position start = core.publish("slow", "{\"n\":0}");
        for (int n = 1; n <= 600; n++) core.publish("slow", "{\"n\":" + n + "}");
        List<FakeConnection> paused = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // three times the workers
            FakeConnection p = new FakeConnection(false, 20);
            ConnectionHandler.Inbound in = connect(core, p);
            p.pause();
            in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"slow\",\"since\":" + since(start) + "}");
            paused.add(p);
        }
        // Everyone else is served at once: the replays hold no worker while they wait.
        core.publish("other", "{\"n\":1}");
        FakeConnection fresh = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, fresh);
        in.onFrame("{\"type\":\"subscribe\",\"id\":2,\"room\":\"other\"}");
        fresh.nextOfType("ack");
        for (FakeConnection p : paused) {
            assertNull(p.closeCode(), "a paused replay waits; it is not a slow consumer yet");
            assertTrue(p.queuedCount() <= 20);
        }
        // Reading resumes the replay where it stopped: everything, in order, once.
        FakeConnection p = paused.get(0);
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            p.readAll();
            if (p.deliveredFlat().stream()
                    .anyMatch(f ->
                            "message".equals(f.get("type")) && data(f).get("n").equals(600L))) break;
            p.pause();
            Thread.onSpinWait();
        }
        p.readAll();
        List<Long> seen = p.deliveredFlat().stream()
                .filter(f -> "message".equals(f.get("type")))
                .map(f -> (Long) data(f).get("n"))
                .toList();
        assertEquals(600, seen.size(), "every missed message");
        for (int i = 0; i < seen.size(); i++) assertEquals(i + 1L, seen.get(i));
    }

    @Test
    void subscribesOnOneConnectionStartInTheOrderSent() {
        RealtimeCore core = core();
        for (int r = 0; r < 5; r++) core.publish("room-" + r, "{\"n\":1}");
        FakeConnection c = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, c);
        for (int r = 0; r < 5; r++)
            in.onFrame("{\"type\":\"subscribe\",\"id\":" + (r + 1) + ",\"room\":\"room-" + r + "\"}");
        for (int r = 0; r < 5; r++)
            assertEquals((long) r + 1, c.nextOfType("ack").get("id"));
    }

    @Test
    void aLiveQueueThatOverflowsClosesWith1013SoTheClientResumes() {
        RealtimeCore core = core();
        core.publish("game-1", "{\"n\":0}");
        FakeConnection c = new FakeConnection(false, 5);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
        c.nextOfType("ack");
        c.pause();
        for (int n = 1; n <= 20; n++) core.publish("game-1", "{\"n\":" + n + "}");
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (c.closeCode() == null && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(1013, c.closeCode());
        assertEquals("slow-consumer", c.closeReason());
    }

    @Test
    void aRoomNobodyCreatedIsRefusedAndTheNextSubscribeStillStarts() {
        RealtimeCore core = core();
        core.publish("game-1", "{\"n\":0}");
        FakeConnection c = new FakeConnection(false, 100);
        ConnectionHandler.Inbound in = connect(core, c);
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"nobody-made-this\"}");
        in.onFrame("{\"type\":\"subscribe\",\"id\":2,\"room\":\"game-1\"}");
        Map<String, Object> error = c.nextOfType("error");
        assertEquals("unknown-room", error.get("code"));
        assertEquals(1L, error.get("id"));
        assertEquals(2L, c.nextOfType("ack").get("id"));
    }

    @Test
    void drainTellsEachClientToReconnectOnce() {
        RealtimeCore core = core("TALLY_DRAIN_WINDOW_MS", "1000");
        FakeConnection c = new FakeConnection(false, 100);
        connect(core, c);
        core.drain(0);
        Map<String, Object> reconnect = c.nextOfType("reconnect");
        assertTrue(((Long) reconnect.get("after")) < 1000);
        assertEquals(
                1,
                c.deliveredFlat().stream()
                        .filter(f -> "reconnect".equals(f.get("type")))
                        .count());
    }
}
