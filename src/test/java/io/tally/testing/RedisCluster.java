package io.tally.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters (no replicas) on loopback, created with
 * {@code redis-cli --cluster create}; ready once every node reports {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);

    private final List<RedisServer> nodes = new ArrayList<>();
    private final int replicasPerMaster;

    private RedisCluster(int replicasPerMaster) {
        this.replicasPerMaster = replicasPerMaster;
    }

    public static RedisCluster start() {
        return start(0);
    }

    /** Three masters, each with {@code replicasPerMaster} replicas (so a master's death fails over). */
    public static RedisCluster start(int replicasPerMaster) {
        RedisCluster cluster = new RedisCluster(replicasPerMaster);
        try {
            for (int i = 0; i < 3 * (1 + replicasPerMaster); i++) {
                cluster.nodes.add(RedisServer.start(List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "3000",
                        // An explicit bus port: the default (port + 10000) may fall outside the free range.
                        "--cluster-port", Integer.toString(Ports.free()))));
            }
            cluster.create();
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** Seed URL naming every node: {@code redis://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c}. */
    public String url() {
        return "redis://" + nodes.stream().map(RedisServer::hostAndPort).collect(Collectors.joining(","));
    }

    private void create() {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> cmd.add(n.hostAndPort()));
        cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The master that serves the slot of {@code key} now (by asking the nodes, not a client's cache). */
    public RedisServer masterFor(String key) {
        int slot = Integer.parseInt(nodes.get(0).command("CLUSTER", "KEYSLOT", key));
        for (RedisServer node : live()) {
            if (ownsSlot(node, slot)) return node;
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** The live masters. */
    public List<RedisServer> masters() {
        return live().stream()
                .filter(n -> {
                    try {
                        return n.command("INFO", "replication").contains("role:master");
                    } catch (IllegalStateException e) {
                        return false;
                    }
                })
                .toList();
    }

    /**
     * Moves {@code key}'s slot to master {@code to} while clients keep using it, the way resharding
     * does: {@code CLUSTER SETSLOT … IMPORTING / MIGRATING}, one of its keys {@code MIGRATE}d and the
     * slot left half-migrated for {@code halfMigratedMillis} (commands on that key meet ASK, scripts
     * over several of its keys TRYAGAIN), the rest in batches, then {@code SETSLOT … NODE} on every
     * master. Returns how many keys moved.
     */
    public int moveSlot(String key, RedisServer to, long halfMigratedMillis) {
        String slot = live().get(0).command("CLUSTER", "KEYSLOT", key);
        RedisServer from = masterFor(key);
        String fromId = command(from, "CLUSTER", "MYID").trim();
        String toId = command(to, "CLUSTER", "MYID").trim();
        command(to, "CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        command(from, "CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        int moved = 0;
        for (int batchSize = 1; ; batchSize = 100) {
            String keys = command(from, "CLUSTER", "GETKEYSINSLOT", slot, Integer.toString(batchSize));
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
            if (moved == 0 && halfMigratedMillis > 0) RedisServer.pause(halfMigratedMillis);
            moved += batch.size();
        }
        command(to, "CLUSTER", "SETSLOT", slot, "NODE", toId);
        command(from, "CLUSTER", "SETSLOT", slot, "NODE", toId);
        for (RedisServer m : masters()) {
            if (m != from && m != to) command(m, "CLUSTER", "SETSLOT", slot, "NODE", toId);
        }
        awaitOk();
        return moved;
    }

    /**
     * One command, tried again (up to three times) when its reply does not come in time or a MIGRATE
     * timed out (IOERR): on a loaded machine Redis can be slower than the client's 5 s; every
     * command used for a slot move may be repeated.
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

    /** Waits until every live node agrees the cluster is whole and every replica is in sync with its master. */
    public void awaitOk() {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (live().stream().allMatch(this::ready)) return;
            RedisServer.pause(50);
        }
        throw new IllegalStateException("cluster did not reach cluster_state:ok within " + READY_DEADLINE);
    }

    private boolean ready(RedisServer node) {
        try {
            if (!node.command("CLUSTER", "INFO").contains("cluster_state:ok")) return false;
            String replication = node.command("INFO", "replication");
            return replication.contains("role:master") || replication.contains("master_link_status:up");
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private List<RedisServer> live() {
        return nodes.stream().filter(RedisServer::isRunning).toList();
    }

    private static boolean ownsSlot(RedisServer node, int slot) {
        for (String line : node.command("CLUSTER", "NODES").split("\n")) {
            if (!line.contains("myself") || !line.contains("master")) continue;
            String[] parts = line.trim().split(" ");
            for (int i = 8; i < parts.length; i++) {
                if (parts[i].startsWith("[")) continue; // a slot being migrated
                String[] range = parts[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
