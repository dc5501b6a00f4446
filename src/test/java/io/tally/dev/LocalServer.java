package io.tally.dev;

import io.tally.scoreboard.api.AdminToken;
import io.tally.testing.TallyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * The Quick start: Tally on embedded Tomcat 11 with in-memory defaults, or Redis when
 * {@code REDIS_URL} is set. {@code PORT} (default 8080) and {@code HOST} (default 127.0.0.1; 0.0.0.0
 * to let a phone on the LAN in) choose where it listens. The scorer token is TALLY_ADMIN_TOKEN, or
 * one kept in {@code target/tally-local-token} so a restart does not log the console out. The sample
 * game plays itself ({@link DemoGame}) unless {@code TALLY_DEMO=false}. Ctrl-C drains and stops it.
 */
public final class LocalServer {
    static final String TOKEN_FILE = "target/tally-local-token";

    private LocalServer() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("PORT", "8080"));
        String host = env("HOST", "127.0.0.1");
        String inUse = portTaken(host, port);
        if (inUse != null) fail(inUse, port);

        Map<String, String> settings = new HashMap<>();
        String token = System.getenv("TALLY_ADMIN_TOKEN");
        Path tokenFile = null;
        if (token == null || token.isBlank()) {
            tokenFile = TallyServer.webappDir().getParent().resolve(TOKEN_FILE);
            token = localToken(tokenFile);
            settings.put("TALLY_ADMIN_TOKEN", token);
        }
        TallyServer server = TallyServer.start(host, port, settings, Map.of(), context -> {
            // As the deployment's connector hook does: Tomcat's own error pages name no version.
            ErrorReportValve quiet = new ErrorReportValve();
            quiet.setShowReport(false);
            quiet.setShowServerInfo(false);
            ((StandardHost) context.getParent()).getPipeline().addValve(quiet);
        });
        if (server.port() <= 0) { // the connector did not bind after all (a race with another process)
            server.stop();
            fail("the port was taken while Tally started", port);
        }
        DemoGame demo = Boolean.parseBoolean(env("TALLY_DEMO", "true"))
                ? DemoGame.start("http://127.0.0.1:" + server.port(), token)
                : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("Stopping Tally…");
                            if (demo != null) demo.stop();
                            server.stop();
                            stopped.countDown();
                        },
                        "tally-shutdown"));
        String shown = host.equals("127.0.0.1") || host.equals("0.0.0.0") ? "localhost" : host;
        System.out.println();
        System.out.println("Tally is running at http://" + shown + ":" + server.port() + "/   (Ctrl-C to stop)");
        System.out.println("  scorer console: http://" + shown + ":" + server.port() + "/console.html");
        if (tokenFile != null) {
            System.out.println("  scorer token:   " + token);
            System.out.println(
                    "                  (kept in " + TOKEN_FILE + " across restarts; delete it for a new one)");
        }
        if (demo != null) System.out.println("  demo: the sample game plays itself (TALLY_DEMO=false to stop that)");
        if (host.equals("127.0.0.1"))
            System.out.println("  only this machine can connect; HOST=0.0.0.0 lets other devices on your network in");
        System.out.println();
        stopped.await();
    }

    /** Why Tally cannot listen on host:port, or null when it can. */
    static String portTaken(String host, int port) {
        if (port == 0) return null;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Tomcat binds: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (IOException e) {
            return "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
    }

    private static void fail(String why, int port) {
        System.err.println();
        System.err.println("Tally did not start: " + why + ".");
        System.err.println("Is another Tally (or another server) already running on port " + port
                + "? Stop it, or choose another port:");
        System.err.println("  PORT=" + (port == 8080 ? 8081 : 8080) + " mvn -q test-compile exec:java");
        System.err.println();
        System.exit(2);
    }

    /** The token in {@code file}, or a new one written there (readable by this user only). */
    static String localToken(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (kept.length() >= AdminToken.MIN_LENGTH) return kept;
            }
            String token = AdminToken.generate();
            Files.createDirectories(file.getParent());
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the file stays under target/
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the local scorer token in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
