package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tally.doctor.cli.DoctorCli;
import io.tally.json.Json;
import io.tally.testing.Http;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The doctor on two embedded instances sharing a real, password-protected redis-server. */
class DoctorRedisIT {
    private static final String PASSWORD = "doctor-test-pw-9f3";
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;
    private String redisUrl;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start("--requirepass", PASSWORD);
        toClose.add(redis);
        redisUrl = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port();
    }

    @AfterEach
    void closeAll() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // stopped by the test already
            }
        }
    }

    private TallyServer server(String id) {
        TallyServer s =
                TallyServer.start(Map.of("REDIS_URL", redisUrl, "TALLY_INSTANCE_ID", id, "TALLY_HEARTBEAT_MS", "1000"));
        toClose.add(s);
        return s;
    }

    private static Map<String, Object> get(TallyServer s, String path) {
        return Json.parseObject(Http.get(s.baseUrl() + path).body(), 16);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout + " waiting for " + what);
            try {
                Thread.sleep(100); // polling a condition under a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Test
    void eachInstanceSeesTheOtherAndNoSecretIsShown() {
        TallyServer a = server("doc-a");
        TallyServer b = server("doc-b");
        await("both instances seen from A", Duration.ofSeconds(15), () -> {
            Object instances = get(a, "/doctor/api/redis").get("instances");
            return String.valueOf(instances).contains("doc-a")
                    && String.valueOf(instances).contains("doc-b");
        });
        String body = Http.get(b.baseUrl() + "/doctor/api/redis").body();
        Map<String, Object> r = Json.parseObject(body, 16);
        assertEquals("redis", r.get("mode"));
        assertEquals(true, r.get("available"));
        assertEquals("shared", r.get("presence"));
        assertTrue(((Number) r.get("publishMs")).longValue() >= 0, body);
        assertEquals("pass", map(r.get("verdict")).get("status"), body);
        assertTrue(String.valueOf(map(r.get("verdict")).get("summary")).contains("Connected (redis)"), body);
        for (String path : List.of("/doctor/api/redis", "/doctor/api/config", "/doctor/api/whoami")) {
            String text = Http.get(a.baseUrl() + path).body();
            assertFalse(text.contains(PASSWORD), path + " shows the password: " + text);
            assertFalse(text.contains("redis://"), path + " shows the Redis URL: " + text);
            assertFalse(
                    text.contains(String.valueOf(redis.port())) && text.contains("127.0.0.1"),
                    path + " shows the Redis address: " + text);
        }
    }

    @Test
    void aProbeRecordedOnOneInstanceIsFoundFromAnother() {
        TallyServer a = server("doc-a");
        TallyServer b = server("doc-b");
        Map<String, Object> start = get(b, "/doctor/api/upgrade-probe");
        String nonce = (String) start.get("nonce");
        Map<String, Object> since = map(start.get("since"));
        var r = Http.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/live/ws?doctor-probe=" + nonce))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(10))
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .GET()
                .build());
        assertEquals(400, r.statusCode());
        String lookup = "/doctor/api/upgrade-probe?nonce=" + nonce + "&epoch=" + since.get("epoch") + "&offset="
                + since.get("offset");
        Map<String, Object> found = get(b, lookup);
        assertEquals(true, found.get("seen"), found.toString());
        assertEquals("doc-a", found.get("instance"));
        assertEquals("doc-b", found.get("askedInstance"));
    }

    @Test
    void redisDownFailsTheRedisCheckWhileEverythingElseAnswers() {
        TallyServer a = server("doc-a");
        redis.kill9();
        await(
                "Redis reported unavailable",
                Duration.ofSeconds(20),
                () -> Boolean.FALSE.equals(get(a, "/doctor/api/redis").get("available")));
        String body = Http.get(a.baseUrl() + "/doctor/api/redis").body();
        Map<String, Object> v = map(Json.parseObject(body, 16).get("verdict"));
        assertEquals("fail", v.get("status"), body);
        assertTrue(String.valueOf(v.get("summary")).startsWith("Redis (redis) is unavailable"), body);
        assertTrue(String.valueOf(v.get("fix")).contains("REDIS_URL"), body);
        assertFalse(body.contains(PASSWORD), body);
        assertEquals(200, Http.get(a.baseUrl() + "/doctor/api/config").statusCode());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = DoctorCli.run(
                new String[] {"--idle", "2", "--hold", "2", a.baseUrl()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("FAIL  redis")), text);
        for (String id : List.of("websocket", "polling", "idle", "config")) {
            assertTrue(
                    text.lines().anyMatch(l -> l.matches("PASS\\s+" + id + "\\s.*")),
                    id + " should still pass:\n" + text);
        }

        redis.restart();
        await("Redis reported available again", Duration.ofSeconds(30), () -> "pass"
                .equals(map(get(a, "/doctor/api/redis").get("verdict")).get("status")));
    }
}
