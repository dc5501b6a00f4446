package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.RecordingListener;
import io.tally.redis.RedisTarget;
import io.tally.testing.RedisCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two instances on a three-master Redis Cluster: sharded pub/sub, rooms spread over every node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private RedisCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void scoresPublishedOnOneInstanceReachTheOtherThroughShardedPubSubOnEveryNode() {
        RecordingListener onB = new RecordingListener();
        try (RedisBroker a = new RedisBroker(RedisTarget.parse(cluster.url(), false), "a", 1_000);
                RedisBroker b = new RedisBroker(RedisTarget.parse(cluster.url(), false), "b", 1_000)) {
            a.start(new RecordingListener());
            b.start(onB);
            assertEquals("redis-cluster", b.status().mode());

            List<String> rooms =
                    IntStream.range(0, 12).mapToObj(i -> "cluster-room-" + i).toList();
            assertEquals(3, nodesServing(rooms).size(), "rooms should spread over all three masters");
            rooms.forEach(b::watch);
            String shardChannels = String.join(
                    "\n",
                    cluster.nodes().stream()
                            .map(n -> n.command("PUBSUB", "SHARDCHANNELS"))
                            .toList());
            for (String room : rooms)
                assertTrue(shardChannels.contains(RoomKeys.channel(room)), "not a sharded subscription: " + room);
            for (int n = 1; n <= 20; n++) {
                for (String room : rooms) a.publish(room, "{\"n\":" + n + "}");
            }
            for (String room : rooms) {
                onB.awaitCount(room, 20, WAIT);
                assertEquals(
                        IntStream.rangeClosed(1, 20)
                                .mapToObj(n -> "{\"n\":" + n + "}")
                                .toList(),
                        onB.payloads(room));
                Position start =
                        new Position(onB.messages(room).get(0).position().epoch(), "0");
                assertEquals(20, b.history(room, start, 100).messages().size());
            }
            assertTrue(onB.overlaps().isEmpty());
            assertTrue(b.status().available(), b.status().toString());
        }
    }

    @Test
    void aKilledSubscriberConnectionOnOneNodeIsBackFilled() {
        RecordingListener onB = new RecordingListener();
        try (RedisBroker a =
                        new RedisBroker(RedisTarget.parse(cluster.nodes().get(0).url(), true), "a2", 1_000);
                RedisBroker b = new RedisBroker(RedisTarget.parse(cluster.url(), false), "b2", 1_000)) {
            a.start(new RecordingListener());
            b.start(onB);
            List<String> rooms =
                    IntStream.range(0, 6).mapToObj(i -> "drop-room-" + i).toList();
            rooms.forEach(b::watch);
            for (int n = 1; n <= 30; n++) {
                for (String room : rooms) a.publish(room, "{\"n\":" + n + "}");
                if (n == 10) cluster.nodes().forEach(node -> node.command("CLIENT", "KILL", "TYPE", "pubsub"));
            }
            for (String room : rooms) {
                onB.awaitCount(room, 30, WAIT);
                assertEquals(
                        IntStream.rangeClosed(1, 30)
                                .mapToObj(n -> "{\"n\":" + n + "}")
                                .toList(),
                        onB.payloads(room));
            }
            assertTrue(onB.overlaps().isEmpty());
            assertTrue(b.status().reconnects() >= 1, b.status().toString());
        }
    }

    @Test
    void aClusterConfiguredAsASingleRedisSaysWhatToChange() {
        try (RedisBroker b =
                new RedisBroker(RedisTarget.parse(cluster.nodes().get(0).url(), false), "c", 1_000)) {
            b.start(new RecordingListener());
            // some room lands on a slot this node does not serve
            UnavailableException e = null;
            for (int i = 0; i < 20 && e == null; i++) {
                try {
                    b.tip("moved-room-" + i);
                } catch (UnavailableException caught) {
                    e = caught;
                }
            }
            assertTrue(e != null && e.getMessage().contains("REDIS_CLUSTER=true"), String.valueOf(e));
        }
    }

    private Set<String> nodesServing(List<String> rooms) {
        Set<String> nodes = new HashSet<>();
        for (String room : rooms)
            nodes.add(cluster.masterFor(RoomKeys.channel(room)).hostAndPort());
        return nodes;
    }
}
