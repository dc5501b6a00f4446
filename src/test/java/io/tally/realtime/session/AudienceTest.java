package io.tally.realtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
import io.tally.realtime.Metrics;
import io.tally.realtime.Position;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.memory.MemoryBroker;
import io.tally.realtime.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "N watching" on one instance (the memory broker): viewers of a counted room get the total when it
 * changes, over WebSocket and polling; uncounted rooms get nothing; a big room is not re-told every
 * small change. Exchanges are driven by hand (no interval waits).
 */
class AudienceTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<FakeConnection> clients = new ArrayList<>();

    private RealtimeCore core() {
        // A long interval: the test drives the exchanges itself.
        RealtimeCore core = RealtimeCore.create(
                RealtimeConfig.from(new Settings(Map.of("TALLY_COUNT_INTERVAL_MS", "5000")::get)),
                new MemoryBroker(1_000));
        core.rooms(room -> true);
        core.countViewers(room -> room.startsWith("game-"));
        open.add(core);
        return core;
    }

    @AfterEach
    void close() throws Exception {
        for (FakeConnection c : clients) c.close(1000, "done");
        for (AutoCloseable c : open) c.close();
    }

    private FakeConnection viewer(RealtimeCore core, String room) {
        FakeConnection c = new FakeConnection(false, 100);
        clients.add(c);
        ConnectionHandler.Inbound in = core.open(c);
        c.attach(in);
        in.onStart();
        c.nextOfType("welcome");
        in.onFrame("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        c.nextOfType("ack");
        return c;
    }

    private static long lastCount(FakeConnection c) {
        List<Map<String, Object>> counts = c.deliveredFlat().stream()
                .filter(f -> "count".equals(f.get("type")))
                .toList();
        return counts.isEmpty() ? -1 : (Long) counts.get(counts.size() - 1).get("n");
    }

    private static long count(FakeConnection c) {
        return (Long) c.nextOfType("count").get("n");
    }

    @Test
    void everyViewerOfACountedRoomHearsTheTotalWhenItChanges() {
        RealtimeCore core = core();
        FakeConnection a = viewer(core, "game-1");
        FakeConnection b = viewer(core, "game-1");
        core.audience().exchange();
        assertEquals(2, count(a));
        assertEquals(2, count(b));
        core.audience().exchange(); // unchanged: nothing is sent
        FakeConnection c = viewer(core, "game-1");
        assertEquals(2, count(c), "a new viewer is told the known total with its ack");
        core.audience().exchange();
        assertEquals(3, count(a));
        assertEquals(3, count(c));
        c.close(1000, "gone"); // it leaves the room on a worker, a moment later
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (lastCount(a) != 2 && System.nanoTime() < deadline)
            core.audience().exchange();
        assertEquals(2, lastCount(a));
        assertEquals(
                List.of(2L, 3L, 2L),
                a.deliveredFlat().stream()
                        .filter(f -> "count".equals(f.get("type")))
                        .map(f -> (Long) f.get("n"))
                        .toList(),
                "each change once, nothing for the unchanged rounds");
        assertEquals(2, core.metrics().localViewers());
    }

    @Test
    void aRoomTheAppDoesNotCountGetsNoCounts() {
        RealtimeCore core = core();
        FakeConnection a = viewer(core, "games");
        core.audience().exchange();
        core.publish("games", "{\"n\":1}");
        a.nextOfType("message");
        assertFalse(a.deliveredFlat().stream().anyMatch(f -> "count".equals(f.get("type"))));
    }

    @Test
    void aBigRoomIsToldChangesOfAtLeastOnePercentAtOnceAndSmallerOnesLater() {
        Metrics metrics = new Metrics();
        List<Long> told = new ArrayList<>();
        Hub.Subscriber listener = new Hub.Subscriber() {
            @Override
            public void deliver(Batch batch) {}

            @Override
            public void reset(String reason, Position tip) {}

            @Override
            public void count(String room, long viewers) {
                told.add(viewers);
            }
        };
        long[] total = {1000};
        Broker others = new CountingBroker() { // the other instances' viewers, as the broker would sum them
                    @Override
                    public Map<String, Long> exchangeCounts(Map<String, Long> local, Map<String, Long> changed) {
                        return Map.of("game-1", total[0]);
                    }
                };
        Hub hub = new Hub(others, java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        Audience audience = new Audience(hub, others, metrics);
        audience.count(room -> true);
        hub.attach("game-1", listener);
        audience.exchange();
        total[0] = 1005; // half a percent
        audience.exchange();
        total[0] = 1012; // 1.2 % from what was told
        audience.exchange();
        assertEquals(List.of(1000L, 1012L), told);
    }

    @Test
    void aPollerThatAsksForCountsIsAnsweredWhenTheTotalDiffersFromWhatItShows() throws Exception {
        RealtimeCore core = core();
        viewer(core, "game-1");
        viewer(core, "game-1");
        core.audience().exchange();
        Position tip = core.tip("game-1");
        String rooms = "{\"game-1\":{\"epoch\":\"" + tip.epoch() + "\",\"offset\":\"" + tip.offset() + "\"}}";
        CompletableFuture<String> answer = new CompletableFuture<>();
        core.poll(
                "{\"v\":1,\"rooms\":" + rooms + ",\"counts\":{\"game-1\":-1}}",
                "127.0.0.1",
                (status, type, text, retry) -> answer.complete(text));
        String text = answer.get(5, TimeUnit.SECONDS);
        assertTrue(text.contains("{\"type\":\"count\",\"room\":\"game-1\",\"n\":2}"), text);
        assertTrue(
                text.contains("\"time\":") && text.contains("\"held\":"),
                "poll answers carry the server clock: " + text);
        // Showing the right total, the poll is held (answered here by the draining close).
        CompletableFuture<String> held = new CompletableFuture<>();
        core.poll(
                "{\"v\":1,\"rooms\":" + rooms + ",\"counts\":{\"game-1\":2}}",
                "127.0.0.1",
                (status, type, t, retry) -> held.complete(t));
        Thread.sleep(200); // proving a negative: no answer within 200 ms
        assertFalse(held.isDone(), "nothing new: the poll waits");
    }
}
