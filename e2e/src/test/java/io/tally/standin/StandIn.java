package io.tally.standin;

import io.tally.testing.Await;
import io.tally.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A local Elastic Beanstalk environment made of real parts, for the e2e suite, the benchmarks
 * and the doctor:
 * <pre>
 *   HAProxy (the ALB) → nginx per instance (platform config + our .platform files)
 *                     → Tomcat from the official distribution (ROOT.war) → Redis
 * </pre>
 * Everything listens on 127.0.0.1 on free ports. Every process is stopped by {@link #close()} and,
 * should the JVM exit first (Ctrl-C, a failed test run), by a shutdown hook.
 */
public final class StandIn implements AutoCloseable {
    private final StandInOptions options;
    private final Path projectDir;
    private final Path runDir;
    private final Path socketDir;
    private final RedisServer redis;
    private final List<TomcatInstance> tomcats = new ArrayList<>();
    private final List<NginxInstance> nginxes = new ArrayList<>();
    private final HaproxyBalancer balancer;
    private final List<NetworkPath> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "standin-shutdown");
    private volatile boolean closed;

    private StandIn(StandInOptions options) throws IOException {
        this.options = options;
        this.projectDir = options.resolvedProjectDir();
        Path war = options.resolvedWar(projectDir);
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("no WAR at " + war + ": run `mvn -q -DskipTests package` first");
        }
        Leftovers.reap(projectDir.resolve("target/standin"));
        this.runDir = options.resolvedRunDir(projectDir);
        Files.createDirectories(runDir);
        // Unix socket paths are limited to ~108 bytes: keep the HAProxy socket in a short temp dir.
        this.socketDir = Files.createTempDirectory("tally-standin-");

        Path distDir = projectDir.resolve("target/standin-dist");
        Path unpackDir = projectDir.resolve("target/standin/dist");
        this.redis = options.resolvedRedis(war)
                ? new RedisServer(Ports.free(), Files.createDirectories(runDir.resolve("redis")))
                : null;

        List<Integer> nginxPorts = new ArrayList<>();
        for (int i = 0; i < options.instances; i++) {
            String line = options.tomcatLines.get(i % options.tomcatLines.size());
            TomcatDistribution dist = TomcatDistribution.of(line, distDir, unpackDir);
            int n = i + 1;
            Map<String, String> env = new LinkedHashMap<>();
            if (options.ebextensions) {
                // Like console values on Beanstalk, TALLY_* variables of the caller's shell win.
                Ebextensions.environment(projectDir).forEach((k, v) -> {
                    if (System.getenv(k) == null) env.put(k, v);
                });
                String jvm = Ebextensions.jvmOptions(projectDir);
                if (!jvm.isEmpty()) env.put("CATALINA_OPTS", jvm);
            }
            if (redis != null) env.put("REDIS_URL", redis.url());
            env.put("TALLY_INSTANCE_ID", "standin-" + n + "-tomcat" + dist.major());
            env.put("TALLY_ADMIN_TOKEN", options.adminToken);
            env.putAll(options.env);
            TomcatInstance tomcat = new TomcatInstance(
                    "tomcat-" + n,
                    dist,
                    runDir.resolve("tomcat-" + n),
                    Ports.free(),
                    war,
                    env,
                    options.healthPath,
                    projectDir.resolve(CONNECTOR_HOOK));
            tomcats.add(tomcat);
            BeanstalkNginx layout = new BeanstalkNginx(projectDir)
                    .upstreamPort(tomcat.port())
                    .brokenProxy(options.brokenProxy)
                    .platformFiles(options.platformNginx)
                    .workerConnections(options.nginxWorkerConnections)
                    .defaultReadTimeout(options.nginxDefaultReadTimeout);
            NginxInstance nginx = new NginxInstance("nginx-" + n, layout, runDir.resolve("nginx-" + n), Ports.free());
            nginxes.add(nginx);
            nginxPorts.add(nginx.port());
        }
        this.balancer = new HaproxyBalancer(
                runDir.resolve("haproxy"),
                socketDir.resolve("admin.sock"),
                Ports.free(),
                nginxPorts,
                options.sticky,
                options.idleTimeout,
                options.healthInterval,
                options.healthPath);
    }

    /** Builds and starts the whole chain; returns once the balancer routes to every healthy instance. */
    public static StandIn start(StandInOptions options) {
        StandIn s;
        try {
            s = new StandIn(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the stand-in", e);
        }
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        try {
            s.startAll();
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw new IllegalStateException(
                    "stand-in failed to start (logs under " + s.runDir + "): " + e.getMessage(), e);
        }
    }

    private void startAll() {
        long deadline = System.nanoTime() + options.startTimeout.toNanos();
        if (redis != null) redis.start(left(deadline));
        // Tomcats start in parallel (the slow part); nginx and HAProxy only need to be listening.
        for (TomcatInstance t : tomcats) t.startProcess();
        for (NginxInstance n : nginxes) n.start();
        balancer.start();
        for (TomcatInstance t : tomcats) t.awaitHealthy(left(deadline));
        for (NginxInstance n : nginxes) n.awaitListening(left(deadline));
        awaitHealthy(left(deadline));
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Waits until the balancer sees every running instance UP and answers the health path with 200. */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int running = (int) tomcats.stream().filter(TomcatInstance::isRunning).count();
        balancer.awaitUp(running, left(deadline));
        Await.until(
                "GET " + options.healthPath + " through the balancer = 200",
                left(deadline),
                () -> RawHttp.get(url(), options.healthPath, Map.of(), 2_000).status() == 200);
    }

    public void awaitHealthy() {
        awaitHealthy(options.startTimeout);
    }

    /** The balancer: what a browser opens, like the environment's URL. */
    public URI url() {
        return balancer.url();
    }

    /** Instance {@code i} (0-based) past the balancer: its nginx, like the instance's port 80. */
    public URI url(int i) {
        return nginxes.get(i).url();
    }

    /** Instance {@code i}'s Tomcat directly (port 8080 on a Beanstalk instance). */
    public URI tomcatUrl(int i) {
        return tomcats.get(i).url();
    }

    /** Redis's URL, or null when the stand-in runs without Redis (see {@link StandInOptions#redis}). */
    public String redisUrl() {
        return redis == null ? null : redis.url();
    }

    private RedisServer redis() {
        if (redis == null)
            throw new IllegalStateException("this stand-in runs without Redis (the WAR has no Redis broker)");
        return redis;
    }

    public int instances() {
        return tomcats.size();
    }

    /** TALLY_INSTANCE_ID of instance {@code i}, e.g. "standin-1-tomcat11". */
    public String instanceId(int i) {
        return "standin-" + (i + 1) + "-tomcat"
                + tomcatVersion(i).substring(0, tomcatVersion(i).indexOf('.'));
    }

    /** Which instance (0-based) has this TALLY_INSTANCE_ID, e.g. the one a page says it is on; -1 if none. */
    public int instanceIndex(String instanceId) {
        for (int i = 0; i < tomcats.size(); i++) if (instanceId(i).equals(instanceId)) return i;
        return -1;
    }

    public String tomcatVersion(int i) {
        return tomcats.get(i).version();
    }

    public String adminToken() {
        return options.adminToken;
    }

    public Path runDir() {
        return runDir;
    }

    /** The platform hook that sizes Tomcat's connector on Beanstalk; the stand-in's Tomcats get it too. */
    static final String CONNECTOR_HOOK = ".platform/hooks/predeploy/20-tomcat-connector.sh";

    /** The project whose .platform and .ebextensions this stand-in uses. */
    public Path projectDir() {
        return projectDir;
    }

    /** Process id of instance {@code i}'s Tomcat JVM (e.g. to inspect it); -1 when not running. */
    public long tomcatPid(int i) {
        return tomcats.get(i).pid();
    }

    public HaproxyBalancer balancer() {
        return balancer;
    }

    /** kill -9 of instance {@code i}'s Tomcat: no drain, connections reset. The balancer notices via health checks. */
    public void killTomcat(int i) {
        tomcats.get(i).kill();
    }

    /** Graceful stop (SIGTERM): the app drains, up to {@code grace}, then kill -9. */
    public void stopTomcat(int i, Duration grace) {
        tomcats.get(i).stop(grace);
    }

    /** Starts instance {@code i}'s Tomcat again (same port, same CATALINA_BASE) and waits until healthy. */
    public void startTomcat(int i) {
        tomcats.get(i).start(options.startTimeout);
        balancer.awaitUp(
                (int) tomcats.stream().filter(TomcatInstance::isRunning).count(), options.startTimeout);
    }

    /** Graceful stop (30 s grace) if running, then start and wait until healthy behind the balancer. */
    public void restartTomcat(int i) {
        if (tomcats.get(i).isRunning()) stopTomcat(i, Duration.ofSeconds(30));
        startTomcat(i);
    }

    public boolean isTomcatRunning(int i) {
        return tomcats.get(i).isRunning();
    }

    public void stopRedis() {
        redis().stop();
    }

    public void startRedis() {
        redis().start(options.startTimeout);
    }

    /** Redis without persistence: a restart loses every stream (rooms get new epochs). */
    public void restartRedis() {
        redis().stop();
        redis().start(options.startTimeout);
    }

    /**
     * Freezes the balancer (SIGSTOP): every viewer's connection stalls without closing, as when a
     * laptop's network goes away. Nothing is sent or received until {@link #resumePath()}.
     */
    public void pausePath() {
        balancer.pause();
    }

    /** Freezes instance {@code i}'s nginx: connections through it stall; health checks to it time out. */
    public void pausePath(int i) {
        nginxes.get(i).pause();
    }

    /**
     * A new network path for one viewer: a relay with its own URL in front of the balancer. Open
     * the viewer's page through {@code path.url()}; {@link #pausePath(NetworkPath)} then cuts only
     * that viewer off. Closed with the stand-in.
     */
    public NetworkPath openPath() {
        try {
            NetworkPath p = new NetworkPath(balancer.port());
            paths.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Freezes one viewer's path (see {@link #openPath()}): its connections stall, nobody else's do. */
    public void pausePath(NetworkPath path) {
        path.pause();
    }

    /** Continues everything paused by any {@code pausePath}. */
    public void resumePath() {
        balancer.resume();
        for (NginxInstance n : nginxes) n.resume();
        for (NetworkPath p : paths) p.resume();
    }

    /** Takes instance {@code i} out of the balancer (maintenance); with {@code cut}, its open connections are closed. */
    public void disableInstance(int i, boolean cut) {
        try {
            balancer.disable(i, cut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ALB's deregistration of instance {@code i}: draining, no new connections, no more health checks. */
    public void deregisterInstance(int i) {
        try {
            balancer.deregister(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of the deregistration delay: the balancer cuts what is still open to instance {@code i}. */
    public void endDeregistration(int i) {
        try {
            balancer.endDeregistration(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers instance {@code i} again; it gets traffic once its health checks pass. */
    public void registerInstance(int i) {
        try {
            balancer.register(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void enableInstance(int i) {
        try {
            balancer.enable(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of parts that should run but have exited by themselves (Tomcats not included: killing them is a scenario). */
    public List<String> deadParts() {
        List<String> dead = new ArrayList<>();
        if (closed) return dead;
        if (!balancer.isRunning()) dead.add("haproxy");
        for (int i = 0; i < nginxes.size(); i++) if (!nginxes.get(i).isRunning()) dead.add("nginx-" + (i + 1));
        return dead;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Human-readable URLs and settings, as printed by {@link StandInMain}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("Balancer (HAProxy as the ALB): ")
                .append(url())
                .append('/')
                .append("  [stickiness ")
                .append(options.sticky ? "on (AWSALB)" : "off")
                .append(", idle timeout ")
                .append(options.idleTimeout.toSeconds())
                .append(" s")
                .append(options.brokenProxy ? ", BROKEN PROXY: nginx strips Upgrade/Connection" : "")
                .append(options.platformNginx ? "" : ", nginx WITHOUT our .platform files")
                .append(
                        options.nginxWorkerConnections > 0
                                ? ", nginx worker_connections " + options.nginxWorkerConnections
                                : "")
                .append("]\n");
        for (int i = 0; i < tomcats.size(); i++) {
            b.append("Instance ")
                    .append(i + 1)
                    .append(": nginx ")
                    .append(url(i))
                    .append("/ -> Tomcat ")
                    .append(tomcatVersion(i))
                    .append(' ')
                    .append(tomcatUrl(i))
                    .append("/  (TALLY_INSTANCE_ID=")
                    .append(instanceId(i))
                    .append(")\n");
        }
        if (options.ebextensions)
            b.append("From .ebextensions: JVM ")
                    .append(Ebextensions.jvmOptions(projectDir))
                    .append(", environment ")
                    .append(Ebextensions.environment(projectDir))
                    .append('\n');
        b.append("Redis: ")
                .append(
                        redis == null
                                ? "not used (the WAR has no Redis broker; instances use the in-memory one)"
                                : redisUrl())
                .append('\n');
        b.append("Admin token: ").append(options.adminToken).append('\n');
        b.append("Logs: ").append(runDir).append('\n');
        return b.toString();
    }

    /** Stops every process (balancer first, so no new work reaches the instances). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (NetworkPath p : paths) run(failures, p::close);
        run(failures, balancer::stop);
        for (NginxInstance n : nginxes) run(failures, n::stop);
        // Each Tomcat drains and shuts down in a second or so: in parallel, that second is paid once.
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (TomcatInstance t : tomcats) stops.add(CompletableFuture.runAsync(() -> t.stop(Duration.ofSeconds(5))));
        for (CompletableFuture<Void> stop : stops) run(failures, stop::join);
        if (redis != null) run(failures, redis::stop);
        run(failures, () -> {
            try {
                TomcatDistribution.deleteTree(socketDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("stand-in did not stop cleanly");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("stand-in: " + e);
        }
    }

    private static void run(List<RuntimeException> failures, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
