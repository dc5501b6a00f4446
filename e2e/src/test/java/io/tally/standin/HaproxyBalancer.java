package io.tally.standin;

import io.tally.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HAProxy in the role of the Application Load Balancer: round robin over the instances' nginx,
 * HTTP health checks, optional AWSALB cookie stickiness, and idle timeouts on both sides and on
 * upgraded (tunnel) connections. Its runtime API (a stats socket) lets tests take instances out.
 */
public final class HaproxyBalancer {
    static final String BACKEND = "instances";

    private final Path dir;
    private final Path socket;
    private final int port;
    private final Path config;
    private final int instances;
    private Proc proc;

    /**
     * @param targets         nginx ports, one per instance (server names i1, i2, …)
     * @param idleTimeout     like the ALB's IdleTimeout (60 s by default there)
     * @param healthInterval  time between health checks (the ALB's HealthCheckInterval, shortened for tests)
     */
    public HaproxyBalancer(
            Path dir,
            Path socket,
            int port,
            List<Integer> targets,
            boolean sticky,
            Duration idleTimeout,
            Duration healthInterval,
            String healthPath) {
        this.dir = dir;
        this.socket = socket;
        this.port = port;
        this.instances = targets.size();
        this.config = dir.resolve("haproxy.cfg");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, config(socket, port, targets, sticky, idleTimeout, healthInterval, healthPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String config(
            Path socket,
            int port,
            List<Integer> targets,
            boolean sticky,
            Duration idle,
            Duration interval,
            String healthPath) {
        long idleMs = idle.toMillis();
        long interMs = interval.toMillis();
        StringBuilder c = new StringBuilder();
        c.append("# Written by the Tally stand-in: HAProxy playing the Application Load Balancer.\n");
        c.append("global\n");
        c.append("    log stdout format raw local0\n");
        c.append("    stats socket ").append(socket).append(" mode 600 level admin\n");
        c.append("defaults\n");
        c.append("    mode http\n");
        c.append("    log global\n");
        c.append("    option httplog\n");
        c.append("    timeout connect 5s\n");
        // The ALB's idle timeout applies to both sides of a request and to upgraded connections.
        c.append("    timeout client ").append(idleMs).append("ms\n");
        c.append("    timeout server ").append(idleMs).append("ms\n");
        c.append("    timeout tunnel ").append(idleMs).append("ms\n");
        c.append("    timeout http-keep-alive ").append(idleMs).append("ms\n");
        c.append("    timeout http-request 10s\n");
        c.append("frontend alb\n");
        c.append("    bind 127.0.0.1:").append(port).append('\n');
        // The ALB appends the client address and says which scheme and port the client used.
        c.append("    option forwardfor\n");
        c.append("    http-request set-header X-Forwarded-Proto http\n");
        c.append("    http-request set-header X-Forwarded-Port %[dst_port]\n");
        c.append("    default_backend ").append(BACKEND).append('\n');
        c.append("backend ").append(BACKEND).append('\n');
        c.append("    balance roundrobin\n");
        c.append("    option httpchk\n");
        // With the ALB's User-Agent: Tally tells the balancer's checks from other callers by it.
        c.append("    http-check send meth GET uri ")
                .append(healthPath)
                .append(" ver HTTP/1.1 hdr Host localhost hdr User-Agent ELB-HealthChecker/2.0\n");
        c.append("    http-check expect status 200\n");
        if (sticky) {
            // Duration-based stickiness with the ALB's cookie name. (The ALB's value is opaque and it
            // also sets AWSALBCORS; tests only rely on the name and on the pinning.)
            c.append("    cookie AWSALB insert indirect nocache\n");
        }
        c.append("    default-server inter ")
                .append(interMs)
                .append("ms fastinter ")
                .append(Math.max(100, interMs / 2))
                .append("ms downinter ")
                .append(interMs)
                .append("ms rise 2 fall 2\n");
        for (int i = 0; i < targets.size(); i++) {
            String name = serverName(i);
            c.append("    server ")
                    .append(name)
                    .append(" 127.0.0.1:")
                    .append(targets.get(i))
                    .append(" check");
            if (sticky) c.append(" cookie ").append(name);
            c.append('\n');
        }
        return c.toString();
    }

    static String serverName(int instance) {
        return "i" + (instance + 1);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path config() {
        return config;
    }

    public synchronized void start() {
        String binary = System.getProperty(
                "standin.haproxy", Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy");
        Proc.Result check = Proc.run(List.of(binary, "-c", "-f", config.toString()), dir, 30_000);
        if (check.status() != 0)
            throw new IllegalStateException("haproxy -c failed for " + config + ":\n" + check.output());
        // -db: stay in the foreground, so the stand-in owns the process and its log.
        proc = Proc.start(
                "haproxy", List.of(binary, "-db", "-f", config.toString()), dir, Map.of(), dir.resolve("haproxy.log"));
    }

    /** Waits until HAProxy's own health checks see {@code expectedUp} instances UP. */
    public void awaitUp(int expectedUp, Duration timeout) {
        Proc p = proc;
        Await.until(expectedUp + " instance(s) UP behind HAProxy", timeout, () -> {
            p.checkAlive();
            return upServers().size() == expectedUp;
        });
    }

    /** Names of the servers HAProxy currently considers UP. */
    public List<String> upServers() throws IOException {
        List<String> up = new ArrayList<>();
        for (Map<String, String> row : stats()) {
            if (BACKEND.equals(row.get("pxname"))
                    && row.get("svname").startsWith("i")
                    && row.getOrDefault("status", "").startsWith("UP")) {
                up.add(row.get("svname"));
            }
        }
        return up;
    }

    /** "show stat" as rows of column name to value. */
    public List<Map<String, String>> stats() throws IOException {
        String csv = command("show stat");
        List<Map<String, String>> rows = new ArrayList<>();
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) throw new IOException("unexpected stats: " + csv);
        String[] cols = lines[0].substring(2).split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] v = lines[i].split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < cols.length && c < v.length; c++) row.put(cols[c], v[c]);
            rows.add(row);
        }
        return rows;
    }

    /** Takes an instance out of rotation (maintenance) and, if asked, cuts its open connections too. */
    public void disable(int instance, boolean killSessions) throws IOException {
        String server = BACKEND + "/" + serverName(instance);
        command("set server " + server + " state maint");
        if (killSessions) command("shutdown sessions server " + server);
    }

    /**
     * Deregisters an instance as the ALB does with a draining target: no new connections, the open
     * ones kept, and no more health checks. {@link #endDeregistration} is the end of the delay.
     */
    public void deregister(int instance) throws IOException {
        String server = BACKEND + "/" + serverName(instance);
        command("set server " + server + " state drain");
        command("disable health " + server);
    }

    /** The deregistration delay is over: whatever is still open to the instance is cut. */
    public void endDeregistration(int instance) throws IOException {
        String server = BACKEND + "/" + serverName(instance);
        command("set server " + server + " state maint");
        command("shutdown sessions server " + server);
    }

    /** Registers an instance again: health checks resume, and it gets traffic once they pass. */
    public void register(int instance) throws IOException {
        String server = BACKEND + "/" + serverName(instance);
        command("enable health " + server);
        command("set server " + server + " state ready");
    }

    /** Current sessions (open connections) to an instance. */
    public int sessions(int instance) throws IOException {
        for (Map<String, String> row : stats()) {
            if (BACKEND.equals(row.get("pxname")) && serverName(instance).equals(row.get("svname"))) {
                return Integer.parseInt(row.getOrDefault("scur", "0"));
            }
        }
        return 0;
    }

    /** Puts an instance back; it serves again once its health checks pass. */
    public void enable(int instance) throws IOException {
        command("set server " + BACKEND + "/" + serverName(instance) + " state ready");
    }

    /** One runtime API command over the stats socket; returns HAProxy's answer (5 s at most). */
    public String command(String cmd) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        // A paused HAProxy never answers and channels have no read timeout: read on another thread.
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap((cmd + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.shutdownOutput();
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                StringBuilder out = new StringBuilder();
                while (ch.read(buf) >= 0) {
                    buf.flip();
                    out.append(StandardCharsets.UTF_8.decode(buf));
                    buf.clear();
                }
                return out.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("HAProxy did not answer '" + cmd + "' within 5 s (paused?)");
        } catch (ExecutionException e) {
            throw new IOException("HAProxy runtime API: '" + cmd + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            ch.close();
        }
    }

    /** SIGSTOP: every connection through the balancer stalls without closing. */
    public synchronized void pause() {
        proc.pause();
    }

    public synchronized void resume() {
        if (proc != null) proc.resume();
    }

    public synchronized boolean isRunning() {
        return proc != null && proc.isAlive();
    }

    public synchronized void stop() {
        if (proc != null) proc.stop(5_000);
    }

    public int instances() {
        return instances;
    }
}
