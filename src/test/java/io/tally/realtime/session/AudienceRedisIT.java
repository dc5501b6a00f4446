package io.tally.realtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
import io.tally.realtime.RealtimeConfig;
import io.tally.realtime.transport.ConnectionHandler;
import io.tally.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "N watching" across two instances sharing a real Redis: each instance's viewers see the total of
 * both, within a few intervals of a change, and again after Redis restarts.
 */
class AudienceRedisIT {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<FakeConnection> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (FakeConnection c : clients) c.close(1000, "done");
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private RealtimeCore instance(RedisServer redis, String id) {
        RealtimeConfig config = RealtimeConfig.from(new Settings(
                Map.of("REDIS_URL", redis.url(), "TALLY_INSTANCE_ID", id, "TALLY_COUNT_INTERVAL_MS", "200")::get));
        RealtimeCore core = RealtimeCore.create(config, io.tally.Brokers.create(config));
        core.rooms(room -> true);
        core.countViewers(room -> room.startsWith("game-"));
        open.add(core);
        return core;
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

    /** Waits for the viewer's latest count to be {@code n}; returns how long it took. */
    private static long awaitCount(FakeConnection c, long n) {
        long start = System.nanoTime();
        long deadline = start + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> counts = c.deliveredFlat().stream()
                    .filter(f -> "count".equals(f.get("type")))
                    .toList();
            if (!counts.isEmpty()
                    && Long.valueOf(n).equals(counts.get(counts.size() - 1).get("n"))) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the viewer's count did not reach " + n + ": " + c.deliveredFlat());
    }

    @Test
    void viewersOnEachInstanceSeeTheTotalOfBothAlsoAfterARedisRestart() {
        RedisServer redis = RedisServer.start();
        open.add(redis);
        RealtimeCore a = instance(redis, "inst-a");
        RealtimeCore b = instance(redis, "inst-b");
        FakeConnection a1 = viewer(a, "game-7");
        FakeConnection a2 = viewer(a, "game-7");
        FakeConnection b1 = viewer(b, "game-7");
        awaitCount(a1, 3);
        awaitCount(b1, 3);
        FakeConnection b2 = viewer(b, "game-7");
        long latency = Math.max(awaitCount(a2, 4), awaitCount(b2, 4));
        assertTrue(latency < 3_000, "a join reached every viewer within " + latency + " ms");
        redis.restart(); // every count is lost with it
        FakeConnection b3 = viewer(b, "game-7"); // subscribing works again once Redis is back
        awaitCount(a1, 5);
        awaitCount(b3, 5);
        List<Object> seen = a1.deliveredFlat().stream()
                .filter(f -> "count".equals(f.get("type")))
                .map(f -> f.get("n"))
                .toList();
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(
                    (Long) seen.get(i) >= (Long) seen.get(i - 1),
                    "no flicker while Redis restarted, the total only went up: " + seen);
        }
        assertEquals(5L, seen.get(seen.size() - 1));
    }
}
