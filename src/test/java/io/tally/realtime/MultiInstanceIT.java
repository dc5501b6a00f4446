package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.testing.Await;
import io.tally.testing.RawWebSocket;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Tally servers (embedded Tomcat, separate Hubs) sharing one Redis, driven over the raw wire
 * protocol: what a viewer sees when the instance it talks to is not the one a score was posted on.
 */
class MultiInstanceIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        toClose.add(redis);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (RuntimeException ignored) {
                // already stopped by the test
            }
        }
    }

    private TallyServer server(String instance) {
        TallyServer s = TallyServer.start(
                        Map.of("REDIS_URL", redis.url(), "TALLY_INSTANCE_ID", instance, "TALLY_POLL_HOLD_MS", "2000"))
                .withOpenRooms();
        toClose.add(s);
        return s;
    }

    private static String room() {
        return "game-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String score(int n) {
        return "{\"n\":" + n + "}";
    }

    private static List<Object> numbers(List<Map<String, Object>> frames) {
        return frames.stream()
                .filter(f -> "message".equals(f.get("type")))
                .map(f -> (Object) ((Map<?, ?>) f.get("data")).get("n"))
                .toList();
    }

    private static List<Object> expected(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> (Object) (long) n).toList();
    }

    @Test
    void aWebSocketViewerOnBReceivesScoresPublishedOnA() {
        TallyServer a = server("web-a");
        TallyServer b = server("web-b");
        assertEquals("redis", b.realtime().status().brokerMode());
        String room = room();
        RawWebSocket viewer = viewer(b);
        viewer.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        Map<String, Object> ack = viewer.next(WAIT);
        assertEquals("ack", ack.get("type"), ack::toString);

        for (int n = 1; n <= 30; n++) a.realtime().publish(room, score(n));
        List<Map<String, Object>> frames = collect(viewer, 30);
        assertEquals(expected(1, 30), numbers(frames));
        // Viewer totals ("count") may arrive at any time; everything else must be the room's messages.
        assertTrue(
                frames.stream().allMatch(f -> "message".equals(f.get("type")) || "count".equals(f.get("type"))),
                frames::toString);
    }

    @Test
    void aLongPollViewerAlternatingBetweenInstancesGetsEveryScoreOnceInOrder() throws Exception {
        TallyServer a = server("web-a");
        TallyServer b = server("web-b");
        TallyServer[] both = {a, b};
        String room = room();
        int total = 60;

        Map<String, Object> first = poll(a, "{\"v\":1,\"rooms\":{\"" + room + "\":null}}");
        Map<?, ?> position = (Map<?, ?>) frames(first).get(0).get("position");

        Thread publisher = new Thread(() -> {
            for (int n = 1; n <= total; n++) {
                both[n % 2].realtime().publish(room, score(n)); // scores are posted on both instances
                if (n % 7 == 0) pause(30);
            }
        });
        publisher.start();

        List<Map<String, Object>> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; numbers(received).size() < total; i++) {
            assertTrue(System.nanoTime() < deadline, () -> "got only " + numbers(received));
            String body = "{\"v\":1,\"rooms\":{\"" + room + "\":" + JsonWriter.write(position) + "}}";
            for (Map<String, Object> f : frames(poll(both[i % 2], body))) {
                received.add(f);
                if (f.get("position") instanceof Map<?, ?> p) position = p;
            }
        }
        publisher.join();
        assertEquals(expected(1, total), numbers(received));
        assertTrue(received.stream().noneMatch(f -> "reset".equals(f.get("type"))), received::toString);
    }

    @Test
    void viewersOfAStoppedInstanceResumeOnTheOtherWithoutLoss() throws Exception {
        TallyServer a = server("web-a");
        TallyServer b = server("web-b");
        String room = room();
        RawWebSocket onA = viewer(a);
        onA.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        assertEquals("ack", onA.next(WAIT).get("type"));

        int total = 80;
        Thread publisher = new Thread(() -> {
            for (int n = 1; n <= total; n++) {
                b.realtime().publish(room, score(n));
                pause(5);
            }
        });
        publisher.start();

        // Read from A until it goes away mid-stream, remembering the last position seen.
        List<Map<String, Object>> seen = new ArrayList<>(collect(onA, 20));
        a.stop();
        onA.awaitClose();
        seen.addAll(onA.drain(Duration.ofMillis(100))); // what A sent before closing, already received
        Map<?, ?> last = null;
        for (Map<String, Object> f : seen) {
            if ("message".equals(f.get("type"))) last = (Map<?, ?>) f.get("position");
        }
        assertTrue(last != null, "A delivered nothing before it stopped");

        // The client resumes on B from its last position, as the browser client does after a reconnect.
        RawWebSocket onB = viewer(b);
        onB.send(
                "{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"since\":" + JsonWriter.write(last) + "}");
        assertEquals("ack", onB.next(WAIT).get("type"));
        int already = numbers(seen).size();
        publisher.join();
        List<Map<String, Object>> rest = collect(onB, total - already);

        List<Object> all = new ArrayList<>(numbers(seen));
        all.addAll(numbers(rest));
        assertEquals(expected(1, total), all);
    }

    @Test
    void afterRedisIsKilledAndRestartedAViewerGetsAResetThenEveryAcknowledgedScoreOnce() throws Exception {
        TallyServer a = server("web-a");
        TallyServer b = server("web-b");
        String room = room();
        RawWebSocket viewer = viewer(b);
        viewer.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        assertEquals("ack", viewer.next(WAIT).get("type"));

        List<Integer> acked = new CopyOnWriteArrayList<>();
        List<Integer> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            for (int n = 1; !stop.get(); n++) {
                try {
                    a.realtime().publish(room, score(n));
                    acked.add(n);
                } catch (UnavailableException e) {
                    refused.add(n);
                }
                pause(5);
            }
        });
        publisher.start();
        Await.until(WAIT, () -> acked.size() >= 20, () -> "publishing stalled");
        redis.kill9();
        Await.until(WAIT, () -> refused.size() >= 3, () -> "publishes were not refused");
        redis.restart();
        int firstRefused = refused.get(0);
        Await.until(
                WAIT,
                () -> acked.stream().filter(n -> n > firstRefused).count() >= 20,
                () -> "no publishing after the restart");
        stop.set(true);
        publisher.join();

        List<Object> afterRestart = acked.stream()
                .filter(n -> n > firstRefused)
                .map(n -> (Object) (long) n)
                .toList();
        List<Map<String, Object>> frames = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!numbers(frames).containsAll(afterRestart)) {
            assertTrue(System.nanoTime() < deadline, () -> "viewer misses scores: " + frames);
            frames.add(viewer.next(WAIT));
        }
        int reset = -1;
        for (int i = 0; i < frames.size(); i++) {
            if ("reset".equals(frames.get(i).get("type"))) reset = i;
        }
        assertTrue(reset >= 0, () -> "no reset frame in " + frames);
        assertEquals("epoch-changed", frames.get(reset).get("reason"));
        assertEquals(afterRestart, numbers(frames.subList(reset + 1, frames.size())));
        List<Object> before = numbers(frames.subList(0, reset));
        assertEquals(
                expected(1, before.size()), before, "before the crash: a gap-free prefix of what was acknowledged");
        for (int n : refused) assertTrue(!numbers(frames).contains((long) n), "refused score " + n + " was delivered");
    }

    private RawWebSocket viewer(TallyServer server) {
        RawWebSocket ws = RawWebSocket.connect(server.wsUrl());
        toClose.add(ws);
        assertEquals("welcome", ws.next(WAIT).get("type"));
        return ws;
    }

    /** Frames until {@code count} message frames have arrived. */
    private static List<Map<String, Object>> collect(RawWebSocket ws, int count) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (numbers(out).size() < count) out.add(ws.next(WAIT));
        return out;
    }

    private Map<String, Object> poll(TallyServer server, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/live/poll"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body);
        @SuppressWarnings("unchecked")
        Map<String, Object> batch = (Map<String, Object>) Json.parse(r.body());
        return batch;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frames(Map<String, Object> batch) {
        return (List<Map<String, Object>>) batch.get("frames");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // pacing the publisher so the stream spans the event, not a wait for it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
