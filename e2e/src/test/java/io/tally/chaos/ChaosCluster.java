package io.tally.chaos;

import io.tally.standin.Await;
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
    private static final Duration SETTLE = Duration.ofSeconds(40);

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
     * Moves {@code key}'s slot to another master (drawn by {@code rng}) while clients keep using it:
     * the slot is marked migrating/importing, one of its keys is migrated and the slot left so for
     * {@code midMillis} (commands on that key meet ASK, scripts over several of its keys TRYAGAIN),
     * then the rest in batches, then both ends and every master are told the new owner.
     */
    String moveSlot(String key, Random rng, long midMillis) {
        int slot = slotOf(key);
        RedisServer from = cluster.masterFor(key);
        List<RedisServer> others = new ArrayList<>(masters());
        others.remove(from);
        RedisServer to = others.get(rng.nextInt(others.size()));
        String fromId = command(from, "CLUSTER", "MYID").trim();
        String toId = command(to, "CLUSTER", "MYID").trim();
        String s = Integer.toString(slot);
        command(to, "CLUSTER", "SETSLOT", s, "IMPORTING", fromId);
        command(from, "CLUSTER", "SETSLOT", s, "MIGRATING", toId);
        int moved = 0;
        for (int batchSize = 1; ; batchSize = 100) {
            String keys = command(from, "CLUSTER", "GETKEYSINSLOT", s, Integer.toString(batchSize));
            List<String> batch = keys == null
                    ? List.of()
                    : List.of(keys.split("\n")).stream()
                            .filter(k -> !k.isEmpty())
                            .toList();
            if (batch.isEmpty()) break;
            List<String> cmd = new ArrayList<>(
                    List.of("MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0", "2000", "REPLACE", "KEYS"));
            cmd.addAll(batch);
            command(from, cmd.toArray(String[]::new));
            if (moved == 0) Writer.sleep(midMillis);
            moved += batch.size();
        }
        command(to, "CLUSTER", "SETSLOT", s, "NODE", toId);
        command(from, "CLUSTER", "SETSLOT", s, "NODE", toId);
        for (RedisServer m : masters()) {
            if (m != from && m != to) command(m, "CLUSTER", "SETSLOT", s, "NODE", toId);
        }
        cluster.awaitOk();
        return String.format(
                "slot %d (%s) moved %d -> %d, %d keys, %.1f s half-migrated",
                slot, key, from.port(), to.port(), moved, midMillis / 1000.0);
    }

    /** The instances' control channels (each subscriber's heartbeat channel, on its own node's slots). */
    List<String> controlChannels() {
        List<String> all = new ArrayList<>();
        for (RedisServer m : masters()) {
            String r = m.command("PUBSUB", "SHARDCHANNELS", "tally:ctl:*");
            if (r != null)
                List.of(r.split("\n")).stream().filter(c -> !c.isEmpty()).forEach(all::add);
        }
        return all;
    }

    /**
     * One command, tried again (up to three times) when its reply does not come in time or a MIGRATE
     * timed out (IOERR): on a loaded machine Redis can be slower than the harness's 5 s; every command
     * used here may be repeated.
     */
    private static String command(RedisServer node, String... args) {
        for (int attempt = 1; ; attempt++) {
            try {
                return node.command(args);
            } catch (IllegalStateException e) {
                boolean slow = e.getCause() instanceof java.net.SocketTimeoutException
                        || String.valueOf(e.getMessage()).contains("IOERR");
                if (attempt == 3 || !slow) throw e;
            }
        }
    }

    private boolean newMaster(String key, RedisServer old) {
        try {
            return cluster.masterFor(key) != old;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private List<RedisServer> masters() {
        return cluster.nodes().stream()
                .filter(RedisServer::isRunning)
                .filter(ChaosCluster::isMaster)
                .toList();
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
