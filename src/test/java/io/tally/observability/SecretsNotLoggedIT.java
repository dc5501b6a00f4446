package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Whatever a server logs from start to stop, at every level, holds no secret it was configured
 * with. Captures both Tally's structured lines (standard error) and everything else that goes
 * through the JVM's root logger (Tomcat's own records).
 */
class SecretsNotLoggedIT {
    private static final String ADMIN_TOKEN = "admin-token-must-not-appear-0001";
    private static final String METRICS_TOKEN = "metrics-token-must-not-appear-02";
    private static final String REDIS_PASSWORD = "redis-password-must-not-appear-3";

    @Test
    void theLogOfAServerStartedAndStoppedWithSecretsNeverContainsThem() {
        String log = captureLog(() -> {
            try (TallyServer server = TallyServer.start(Map.of(
                    "TALLY_INSTANCE_ID", "web-secrets",
                    "TALLY_ADMIN_TOKEN", ADMIN_TOKEN,
                    "TALLY_METRICS_TOKEN", METRICS_TOKEN))) {
                Http.get(server.baseUrl() + "/metrics", "Authorization", "Bearer " + METRICS_TOKEN);
                Http.get(server.baseUrl() + "/metrics", "Authorization", "Bearer " + ADMIN_TOKEN);
                try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl())) {
                    ws.nextOfType("welcome");
                }
            }
        });
        assertTrue(
                log.contains("instance=web-secrets") && log.contains("Tally started"),
                "structured start-up line present:\n" + log);
        assertTrue(log.contains("drained in"), "the drain is logged:\n" + log);
        assertFalse(log.contains(ADMIN_TOKEN), "admin token logged:\n" + log);
        assertFalse(log.contains(METRICS_TOKEN), "metrics token logged:\n" + log);
    }

    @Test
    void theLogOfAServerOnAPasswordProtectedRedisNeverContainsThePassword() {
        try (RedisServer redis = RedisServer.start("--requirepass", REDIS_PASSWORD)) {
            String url = "redis://default:" + REDIS_PASSWORD + "@" + redis.hostAndPort();
            String log = captureLog(() -> {
                try (TallyServer server =
                        TallyServer.start(Map.of("TALLY_INSTANCE_ID", "web-redis-secret", "REDIS_URL", url))) {
                    server.realtime().publish("game-1", "{\"n\":1}");
                    // An outage: the broker's errors and reconnect attempts are logged too.
                    redis.kill9();
                    try {
                        server.realtime().publish("game-1", "{\"n\":2}");
                    } catch (RuntimeException expected) {
                        // Redis is down: refused, as the broker contract says.
                    }
                    awaitBroker(server, false);
                    redis.restart();
                    awaitBroker(server, true);
                }
            });
            assertTrue(log.contains("broker redis"), "started on Redis:\n" + log);
            assertFalse(log.contains(REDIS_PASSWORD), "Redis password logged:\n" + log);
        }
    }

    private static void awaitBroker(TallyServer server, boolean available) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.realtime().status().brokerAvailable() != available && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Runs {@code body} with standard error and the root logger captured, every io.tally level on. */
    static String captureLog(Runnable body) {
        ByteArrayOutputStream structured = new ByteArrayOutputStream();
        StringBuilder other = new StringBuilder();
        Handler root = new Handler() {
            private final SimpleFormatter f = new SimpleFormatter();

            @Override
            public synchronized void publish(LogRecord r) {
                other.append(f.format(r));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.setLevel(Level.ALL);
        Logger rootLogger = Logger.getLogger("");
        Logger tally = Logger.getLogger("io.tally");
        Logger jedis = Logger.getLogger("redis.clients"); // Jedis logs through slf4j-jdk14
        Level previous = tally.getLevel();
        Level previousJedis = jedis.getLevel();
        jedis.setLevel(Level.ALL);
        PrintStream err = System.err;
        rootLogger.addHandler(root);
        tally.setLevel(Level.ALL);
        System.setErr(new PrintStream(structured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(err);
            tally.setLevel(previous);
            jedis.setLevel(previousJedis);
            rootLogger.removeHandler(root);
        }
        String text = structured.toString(StandardCharsets.UTF_8) + other;
        err.print(structured.toString(StandardCharsets.UTF_8)); // still shown in the test output
        return text;
    }
}
