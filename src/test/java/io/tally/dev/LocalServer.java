package io.tally.dev;

import io.tally.scoreboard.wiring.Scoreboard;
import io.tally.testing.TallyServer;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The Quick start: Tally on embedded Tomcat 11 with in-memory defaults, or Redis when
 * {@code REDIS_URL} is set. {@code PORT} (default 8080) and {@code HOST} (default 127.0.0.1) choose
 * where it listens. Ctrl-C drains and stops it.
 */
public final class LocalServer {
    private LocalServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("PORT", "8080"));
        String host = env("HOST", "127.0.0.1");
        // Without TALLY_ADMIN_TOKEN a token is generated and printed on the console (a deployed WAR refuses to start).
        TallyServer server = TallyServer.start(host, port, Map.of(Scoreboard.GENERATE_TOKEN_PARAMETER, "true"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Tally…");
            server.stop();
            stopped.countDown();
        }, "tally-shutdown"));
        String shown = host.equals("127.0.0.1") || host.equals("0.0.0.0") ? "localhost" : host;
        System.out.println();
        System.out.println("Tally is running at http://" + shown + ":" + server.port() + "/   (Ctrl-C to stop)");
        System.out.println("  scorer console: http://" + shown + ":" + server.port() + "/console.html");
        System.out.println();
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
