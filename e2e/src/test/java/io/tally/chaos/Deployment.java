package io.tally.chaos;

import io.tally.standin.Proc;
import io.tally.standin.TomcatDistribution;
import io.tally.standin.TomcatInstance;
import io.tally.testing.Await;
import io.tally.testing.Ports;
import io.tally.testing.TcpRelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the campaign, the soak and the storm break: two Tomcats from the official distributions
 * (11 and 10.1, the WAR as ROOT.war, our connector hook applied) sharing one redis-server, or a
 * Redis Cluster ({@link ChaosCluster}). With one server the Tomcats reach it through a {@link TcpRelay}
 * (so Redis can be blackholed); a cluster's clients follow the nodes' own addresses, so they reach
 * it directly. Viewers may reach each Tomcat through a relay of its own (so a viewer's connection
 * can die silently). Everything listens on loopback and stops with {@link #close()} or the JVM.
 */
final class Deployment implements AutoCloseable {
    static final String TOKEN = "chaos-admin-token-0123456789";
    private static final Duration START = Duration.ofSeconds(180);

    private final Path runDir;
    private final ChaosRedis redis;
    private final TcpRelay redisRelay;
    private final ChaosCluster cluster;
    private final List<TomcatInstance> tomcats = new ArrayList<>();
    private final List<TcpRelay> viewerRelays = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "chaos-shutdown");
    private volatile boolean closed;

    private Deployment(Path runDir, boolean aof, boolean clustered, Map<String, String> extraEnv, String heap)
            throws IOException {
        this.runDir = runDir;
        Path project = projectDir();
        Path war = project.resolve("target/tally.war");
        if (!Files.isRegularFile(war))
            throw new IllegalStateException("no WAR at " + war + ": run `mvn -q -DskipTests package` first");
        cluster = clustered ? new ChaosCluster() : null;
        redis = clustered ? null : new ChaosRedis(Ports.free(), runDir.resolve("redis"), aof);
        redisRelay = clustered ? null : new TcpRelay("redis-relay", redis.port());
        String[] lines = {"11", "10.1"};
        for (int i = 0; i < 2; i++) {
            TomcatDistribution dist = TomcatDistribution.of(
                    lines[i], project.resolve("target/standin-dist"), project.resolve("target/standin/dist"));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("REDIS_URL", clustered ? cluster.url() : "redis://127.0.0.1:" + redisRelay.port());
            env.put("TALLY_ADMIN_TOKEN", TOKEN);
            env.put("TALLY_INSTANCE_ID", instanceId(i));
            // Every client comes from 127.0.0.1: the per-address caps would measure the test, not Tally.
            env.put("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "100000");
            env.put("TALLY_POLLS_PER_SECOND", "100000");
            env.put("TALLY_WRITE_RATE", "100000");
            env.put("TALLY_WRITE_BURST", "100000");
            env.put("TALLY_LB_SILENCE_MS", "0"); // no ALB here
            env.put("CATALINA_OPTS", "-Xms" + heap + " -Xmx" + heap + " -XX:+UseG1GC -Xss512k");
            env.putAll(extraEnv);
            tomcats.add(new TomcatInstance(
                    "tomcat-" + (char) ('a' + i),
                    dist,
                    runDir.resolve("tomcat-" + (char) ('a' + i)),
                    Ports.free(),
                    war,
                    env,
                    "/healthz",
                    project.resolve(".platform/hooks/predeploy/20-tomcat-connector.sh")));
        }
    }

    static Deployment start(String label, boolean aof, Map<String, String> env, String heap) {
        return start(label, aof, false, env, heap);
    }

    /** With {@code clustered}, on a Redis Cluster of three masters with a replica each instead of one server. */
    static Deployment start(String label, boolean aof, boolean clustered, Map<String, String> env, String heap) {
        Path project = projectDir();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = project.resolve("target/chaos/" + label + "-" + stamp + "-"
                + ProcessHandle.current().pid());
        Deployment d;
        try {
            Files.createDirectories(dir);
            d = new Deployment(dir, aof, clustered, env, heap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(d.hook);
        try {
            if (d.redis != null) d.redis.start();
            CompletableFuture<?>[] starts = new CompletableFuture<?>[2];
            for (int i = 0; i < 2; i++) {
                TomcatInstance t = d.tomcats.get(i);
                starts[i] = CompletableFuture.runAsync(() -> t.start(START));
            }
            CompletableFuture.allOf(starts).join();
            for (int i = 0; i < 2; i++)
                d.viewerRelays.add(
                        new TcpRelay("viewer-relay-" + i, d.tomcats.get(i).port()));
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw new IllegalStateException("deployment did not start (logs under " + dir + "): " + e.getMessage(), e);
        }
    }

    static String instanceId(int i) {
        return "chaos-" + (char) ('a' + i);
    }

    static Path projectDir() {
        String configured = System.getProperty("tally.basedir");
        if (configured != null) return Path.of(configured).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve(".platform"))) return p;
        }
        throw new IllegalStateException(
                "cannot find the project from " + Path.of("").toAbsolutePath() + "; set -Dtally.basedir");
    }

    Path runDir() {
        return runDir;
    }

    int instances() {
        return tomcats.size();
    }

    /** Base URL of instance {@code i}: directly, or through its viewer relay. */
    String url(int i, boolean relayed) {
        int port = relayed ? viewerRelays.get(i).port() : tomcats.get(i).port();
        return "http://127.0.0.1:" + port;
    }

    int port(int i) {
        return tomcats.get(i).port();
    }

    TcpRelay viewerRelay(int i) {
        return viewerRelays.get(i);
    }

    TcpRelay redisRelay() {
        return redisRelay;
    }

    ChaosRedis redis() {
        if (redis == null) throw new IllegalStateException("this deployment runs on a Redis Cluster");
        return redis;
    }

    /** The Redis Cluster, or null when the deployment runs on one server. */
    ChaosCluster cluster() {
        return cluster;
    }

    long pid(int i) {
        return tomcats.get(i).pid();
    }

    boolean isRunning(int i) {
        return tomcats.get(i).isRunning();
    }

    void kill(int i) {
        tomcats.get(i).kill();
    }

    /** Starts instance {@code i} again and waits until /healthz answers 200. */
    void start(int i) {
        tomcats.get(i).start(START);
    }

    /** SIGSTOP / SIGCONT of instance {@code i}'s JVM: its sockets stay open and nothing moves. */
    void freeze(int i, boolean frozen) {
        long pid = tomcats.get(i).pid();
        if (pid < 0) return;
        Proc.Result r = Proc.run(List.of("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid)), runDir, 5_000);
        if (r.status() != 0)
            throw new IllegalStateException("kill " + (frozen ? "-STOP" : "-CONT") + " " + pid + ": " + r.output());
    }

    /** Waits until every instance answers /readyz with 200 (store and broker reachable). */
    void awaitReady(Duration timeout) {
        for (int i = 0; i < tomcats.size(); i++) {
            String base = url(i, false);
            Await.until(
                    instanceId(i) + " ready",
                    timeout,
                    () -> Http.get(base + "/readyz", 2_000).status() == 200);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (TcpRelay r : viewerRelays) r.close();
        for (TomcatInstance t : tomcats) {
            try {
                if (t.isRunning()) freeze(tomcats.indexOf(t), false);
                t.stop(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                t.kill();
            }
        }
        if (redisRelay != null) redisRelay.close();
        if (redis != null) redis.kill();
        if (cluster != null) cluster.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook
        }
    }
}
