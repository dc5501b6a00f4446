package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.RecordingListener;
import io.tally.redis.RedisTarget;
import io.tally.testing.Await;
import io.tally.testing.RedisCluster;
import io.tally.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A master of a cluster with replicas dies mid-stream: its replica takes over, the instance moves the
 * master's rooms to the new master's subscriber, back-fills them, and viewers miss nothing that was
 * acknowledged (or, if the dead master took unreplicated writes with it, are told to reset).
 */
class RedisClusterFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void whenAMasterDiesItsRoomsAreDeliveredFromTheReplicaThatTookOver() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(1);
                RedisBroker a = new RedisBroker(RedisTarget.parse(cluster.url(), false), "a", 1_000);
                RedisBroker b = new RedisBroker(RedisTarget.parse(cluster.url(), false), "b", 1_000)) {
            RecordingListener onB = new RecordingListener();
            a.start(new RecordingListener());
            b.start(onB);
            List<String> rooms =
                    IntStream.range(0, 6).mapToObj(i -> "failover-" + i).toList();
            rooms.forEach(b::watch);
            String doomedRoom = rooms.get(0);
            RedisServer victim = cluster.masterFor(RoomKeys.channel(doomedRoom));

            Map<String, List<Integer>> acked = new ConcurrentHashMap<>();
            rooms.forEach(r -> acked.put(r, new CopyOnWriteArrayList<>()));
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                for (int n = 1; !stop.get(); n++) {
                    for (String room : rooms) {
                        try {
                            a.publish(room, "{\"n\":" + n + "}");
                            acked.get(room).add(n);
                        } catch (UnavailableException e) {
                            // refused while the slot has no master; the publisher moves on
                        }
                    }
                }
            });
            publisher.start();
            try {
                Await.until(WAIT, () -> acked.get(doomedRoom).size() >= 20, () -> "publishing stalled");
                int beforeKill = acked.get(doomedRoom).size();
                victim.kill9();
                Await.until(
                        WAIT,
                        () -> acked.get(doomedRoom).size() >= beforeKill + 20,
                        () -> "no failover: " + b.status());
            } finally {
                stop.set(true);
                publisher.join();
            }

            for (String room : rooms) {
                List<Integer> expected = acked.get(room);
                Await.until(
                        WAIT,
                        () -> delivered(onB, room).containsAll(afterLastReset(onB, room, expected)),
                        () -> room + " misses messages; got " + onB.events(room));
                List<Integer> got = delivered(onB, room);
                if (onB.resets(room).isEmpty()) {
                    assertTrue(got.containsAll(expected), room + ": " + got);
                }
                assertIncreasingBetweenResets(onB.events(room));
            }
            assertTrue(onB.overlaps().isEmpty());
            Await.until(WAIT, () -> b.status().available(), () -> b.status().toString());
        }
    }

    private static List<Integer> delivered(RecordingListener l, String room) {
        return l.payloads(room).stream()
                .map(p -> Integer.parseInt(p.replaceAll("\\D", "")))
                .toList();
    }

    /** What must have arrived: everything acknowledged, or after a reset, everything acknowledged after it. */
    private static List<Integer> afterLastReset(RecordingListener l, String room, List<Integer> acked) {
        List<String> events = l.events(room);
        int reset = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("reset:")) reset = i;
        }
        if (reset < 0) return acked;
        int lastBefore = events.subList(0, reset).stream()
                .filter(e -> !e.startsWith("reset:"))
                .mapToInt(e -> Integer.parseInt(e.replaceAll("\\D", "")))
                .max()
                .orElse(0);
        return acked.stream().filter(n -> n > lastBefore).toList();
    }

    private static void assertIncreasingBetweenResets(List<String> events) {
        int last = 0;
        List<String> seen = new ArrayList<>();
        for (String e : events) {
            seen.add(e);
            if (e.startsWith("reset:")) {
                last = 0;
                continue;
            }
            int n = Integer.parseInt(e.replaceAll("\\D", ""));
            assertTrue(n > last, "duplicate or out of order at " + seen);
            last = n;
        }
    }
}
