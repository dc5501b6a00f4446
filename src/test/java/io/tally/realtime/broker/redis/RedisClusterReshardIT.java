package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.broker.RecordingListener;
import io.tally.redis.RedisTarget;
import io.tally.testing.Await;
import io.tally.testing.RedisCluster;
import io.tally.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Slots moving between masters while in use (resharding): a watched room's slot, and the slot of
 * the heartbeat channel of the instance's subscriber for a node. Either way the room's messages keep
 * arriving, once and in order, and the instance stays available.
 */
class RedisClusterReshardIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void roomsAndHeartbeatChannelsFollowTheirSlotsToAnotherMaster() throws Exception {
        try (RedisCluster cluster = RedisCluster.start();
                RedisBroker a = new RedisBroker(RedisTarget.parse(cluster.url(), false), "a", 1_000);
                RedisBroker b = new RedisBroker(RedisTarget.parse(cluster.url(), false), "b", 1_000)) {
            RecordingListener onB = new RecordingListener();
            a.start(new RecordingListener());
            b.start(onB);
            String room = "reshard-0";
            b.watch(room);
            publish(a, room, 1, 5);
            awaitDelivered(onB, room, 5);

            // The room's slot moves, half-migrated for a while, as messages keep coming.
            RedisServer first = cluster.masterFor(RoomKeys.channel(room));
            RedisServer second = other(cluster, first);
            Thread mover = new Thread(() -> cluster.moveSlot(RoomKeys.channel(room), second, 500));
            mover.start();
            publish(a, room, 6, 10);
            mover.join();
            publish(a, room, 11, 15);
            awaitDelivered(onB, room, 15);

            // The heartbeat channel of b's subscriber for the room's node moves away; that subscriber's
            // connection then drops: it must come back with a channel the node still serves.
            String heartbeat = heartbeatChannel(second, "b");
            cluster.moveSlot(heartbeat, other(cluster, second), 0);
            second.command("CLIENT", "KILL", "TYPE", "pubsub");
            publish(a, room, 16, 20);
            awaitDelivered(onB, room, 20);
            Await.until(WAIT, () -> b.status().available(), () -> b.status().toString());

            assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), delivered(onB, room), "once and in order");
            assertTrue(onB.resets(room).isEmpty(), "no history was lost: no reset");
        }
    }

    private static void publish(RedisBroker broker, String room, int from, int to) {
        for (int n = from; n <= to; n++) {
            int k = n;
            Await.until(
                    WAIT,
                    () -> {
                        try {
                            broker.publish(room, "{\"n\":" + k + "}");
                            return true;
                        } catch (RuntimeException refusedMidMigration) {
                            return false; // TRYAGAIN while the slot is half migrated: nothing published, try again
                        }
                    },
                    () -> "publish " + k + " refused for good");
        }
    }

    private static void awaitDelivered(RecordingListener l, String room, int n) {
        Await.until(WAIT, () -> delivered(l, room).size() >= n, () -> room + " has " + l.events(room));
    }

    private static List<Integer> delivered(RecordingListener l, String room) {
        return l.payloads(room).stream()
                .map(p -> Integer.parseInt(p.replaceAll("\\D", "")))
                .toList();
    }

    private static RedisServer other(RedisCluster cluster, RedisServer master) {
        return cluster.masters().stream().filter(m -> m != master).findFirst().orElseThrow();
    }

    /** The sharded channel instance {@code instance}'s subscriber for {@code node} hears its heartbeats on. */
    private static String heartbeatChannel(RedisServer node, String instance) {
        for (String ch : node.command("PUBSUB", "SHARDCHANNELS", "tally:ctl:*").split("\n")) {
            if (ch.contains("{tally:ctl:" + instance + ".")) return ch;
        }
        throw new IllegalStateException("no heartbeat channel of " + instance + " on " + node.port());
    }
}
