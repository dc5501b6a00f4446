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

    private RedisCluster() {
    }

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(RedisServer.start(List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "3000",
                        // An explicit bus port: the default (port + 10000) may fall outside the free range.
                        "--cluster-port", Integer.toString(RedisServer.freePort()))));
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
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
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

    private void awaitOk() {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> n.command("CLUSTER", "INFO").contains("cluster_state:ok"))) return;
            RedisServer.pause(50);
        }
        throw new IllegalStateException("cluster did not reach cluster_state:ok within " + READY_DEADLINE);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
