package io.tally.chaos;

import io.tally.testing.Await;
import io.tally.testing.RedisCluster;
import io.tally.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The campaign's Redis Cluster (three masters with a replica each, {@link RedisCluster}) and the
 * two cluster faults: a failover (graceful {@code CLUSTER FAILOVER} on a replica, or kill -9 of a
 * master so its replica takes over) and a live slot move ({@code CLUSTER SETSLOT … MIGRATING /
 * IMPORTING}, {@code MIGRATE} of the slot's keys, then {@code SETSLOT … NODE}) of a room's or the
 * games' slot while everything keeps publishing and writing.
 */
final class ChaosCluster implements AutoCloseable {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private final RedisCluster cluster = RedisCluster.start(1);

    String url() {
        return cluster.url();
    }

    /** The slot of a key (or hash tag) as Redis computes it. */
    int slotOf(String key) {
        return Integer.parseInt(anyLive().command("CLUSTER", "KEYSLOT", key));
    }

    /**
     * Moves the master role of {@code key}'s slot: with {@code kill}, kill -9 of its master, wait for
     * the replica to take over, then the old master restarts (and rejoins as a replica); otherwise
     * {@code CLUSTER FAILOVER} on the replica. Returns what was done.
     */
    String failover(String key, boolean kill) {
        RedisServer master = cluster.masterFor(key);
        RedisServer replica = replicaOf(master);
        long at = System.currentTimeMillis();
        if (kill) {
            master.kill9();
            Await.until("a new master for " + key, SETTLE, () -> newMaster(key, master));
            long took = System.currentTimeMillis() - at;
            master.restart();
            cluster.awaitOk();
            return String.format(
                    "master %d killed, replica %d took over in %.1f s; old master back as a replica",
                    master.port(), replica.port(), took / 1000.0);
        }
        replica.command("CLUSTER", "FAILOVER");
        Await.until("replica " + replica.port() + " promoted", SETTLE, () -> isMaster(replica));
        cluster.awaitOk();
        return String.format(
                "CLUSTER FAILOVER: replica %d promoted over %d in %.1f s",
                replica.port(), master.port(), (System.currentTimeMillis() - at) / 1000.0);
    }

    /**
     * Moves {@code key}'s slot to another master (drawn by {@code rng}) while clients keep using it,
     * {@code midMillis} half-migrated ({@link RedisCluster#moveSlot}).
     */
    String moveSlot(String key, Random rng, long midMillis) {
        RedisServer from = cluster.masterFor(key);
        List<RedisServer> others = new ArrayList<>(cluster.masters());
        others.remove(from);
        RedisServer to = others.get(rng.nextInt(others.size()));
        int moved = cluster.moveSlot(key, to, midMillis);
        return String.format(
                "slot %d (%s) moved %d -> %d, %d keys, %.1f s half-migrated",
                slotOf(key), key, from.port(), to.port(), moved, midMillis / 1000.0);
    }

    /** The instances' control channels (each subscriber's heartbeat channel, on its own node's slots). */
    List<String> controlChannels() {
        List<String> all = new ArrayList<>();
        for (RedisServer m : cluster.masters()) {
            String r = m.command("PUBSUB", "SHARDCHANNELS", "tally:ctl:*");
            if (r != null)
                List.of(r.split("\n")).stream().filter(c -> !c.isEmpty()).forEach(all::add);
        }
        return all;
    }

    private boolean newMaster(String key, RedisServer old) {
        try {
            return cluster.masterFor(key) != old;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private static boolean isMaster(RedisServer n) {
        try {
            return n.command("INFO", "replication").contains("role:master");
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private RedisServer replicaOf(RedisServer master) {
        String id = master.command("CLUSTER", "MYID").trim();
        for (RedisServer n : cluster.nodes()) {
            if (n == master || !n.isRunning()) continue;
            for (String line : n.command("CLUSTER", "NODES").split("\n")) {
                if (line.contains("myself") && line.contains("slave " + id)) return n;
            }
        }
        throw new IllegalStateException("master " + master.port() + " has no replica");
    }

    private RedisServer anyLive() {
        return cluster.nodes().stream()
                .filter(RedisServer::isRunning)
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
