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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts empty: the room's history begins a new epoch. A viewer that reaches the new epoch
 * on its own (it resumed with its old position and was reset) before this instance's live feed
 * catches up must not be reset a second time, nor sent the new epoch's messages again, when the feed
 * does catch up. The restarted Redis keeps subscribers out (an ACL rule) until the test lets them in,
 * so the feed is behind for certain rather than by luck.
 */
class OneResetPerLostHistoryIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (RuntimeException ignored) {
                // already stopped
            }
        }
    }

    @Test
    void aViewerAlreadyInTheNewEpochIsNotResetAgainAndGetsNothingTwice() throws Exception {
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        TallyServer a = TallyServer.start(
                        Map.of("REDIS_URL", redis.url(), "TALLY_INSTANCE_ID", "reset-a", "TALLY_POLL_HOLD_MS", "1000"))
                .withOpenRooms();
        toClose.add(a);
        String room = "game-" + UUID.randomUUID().toString().substring(0, 8);

        // Before the loss: a viewer that stays connected throughout, in the old epoch.
        RawWebSocket stayer = viewer(a);
        stayer.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        assertEquals("ack", next(stayer).get("type"));
        for (int n = 1; n <= 3; n++) a.realtime().publish(room, score(n));
        List<Map<String, Object>> before = collect(stayer, 3);
        Object oldPosition = before.get(before.size() - 1).get("position");

        // Redis restarts empty and, for now, refuses SUBSCRIBE: A's live feed cannot catch up.
        redis.restartWith("--user", "default", "on", "nopass", "~*", "&*", "+@all", "-subscribe", "-ssubscribe");
        for (int n = 4; n <= 6; n++) publishWhenPossible(a, room, n);

        // A viewer resumes with its old position (a hop to a new connection): one reset into the new epoch.
        RawWebSocket hopper = viewer(a);
        hopper.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"since\":"
                + JsonWriter.write(oldPosition) + "}");
        assertEquals("ack", next(hopper).get("type"));
        Map<String, Object> reset = next(hopper);
        assertEquals("reset", reset.get("type"), reset::toString);
        assertEquals("epoch-changed", reset.get("reason"));
        Map<?, ?> newPosition = (Map<?, ?>) reset.get("position");
        assertTrue(!newPosition.get("epoch").equals(((Map<?, ?>) oldPosition).get("epoch")), "a new epoch");

        // A long-poller reaches the new epoch the same way. (It resumes from an older position than
        // the feed's last: one equal to it waits for the feed, which is what is held up here.)
        List<Map<String, Object>> polled = new ArrayList<>();
        Map<?, ?> pollAt = null;
        for (Map<String, Object> f : poll(a, room, before.get(before.size() - 2).get("position"))) {
            polled.add(f);
            if (f.get("position") instanceof Map<?, ?> p) pollAt = p;
        }
        assertEquals(List.of("reset"), polled.stream().map(f -> f.get("type")).toList());
        assertEquals(newPosition.get("epoch"), pollAt.get("epoch"));

        a.realtime().publish(room, score(7)); // not heard live yet: the feed is still out
        redis.command("ACL", "SETUSER", "default", "+subscribe", "+ssubscribe");

        // The feed catches up: the viewer that stayed in the old epoch gets its one reset and the new epoch.
        List<Map<String, Object>> stayed = collect(stayer, 4);
        assertEquals(List.of("reset"), types(stayed, "reset"), "one reset for the viewer in the old epoch");
        int resetAt = indexOfType(stayed, "reset");
        assertEquals(List.of(4L, 5L, 6L, 7L), numbers(stayed.subList(resetAt + 1, stayed.size())));

        a.realtime().publish(room, score(8));
        List<Map<String, Object>> hopped = collect(hopper, 2);
        assertEquals(
                List.of(),
                types(hopped, "reset"),
                () -> "no second reset for the viewer already in the new epoch: " + hopped);
        assertEquals(List.of(7L, 8L), numbers(hopped), "nothing of the new epoch twice");

        while (numbers(polled).size() < 2) {
            for (Map<String, Object> f : poll(a, room, pollAt)) {
                polled.add(f);
                if (f.get("position") instanceof Map<?, ?> p) pollAt = p;
            }
        }
        assertEquals(List.of("reset"), types(polled, "reset"), "the long-poller too: one reset");
        assertEquals(List.of(7L, 8L), numbers(polled));
    }

    private void publishWhenPossible(TallyServer server, String room, int n) {
        Await.until(
                WAIT,
                () -> {
                    try {
                        server.realtime().publish(room, score(n));
                        return true;
                    } catch (UnavailableException notYet) {
                        return false;
                    }
                },
                () -> "publishing did not resume after the restart");
    }

    private RawWebSocket viewer(TallyServer server) {
        RawWebSocket ws = RawWebSocket.connect(server.wsUrl());
        toClose.add(ws);
        assertEquals("welcome", next(ws).get("type"));
        return ws;
    }

    private List<Map<String, Object>> poll(TallyServer server, String room, Object since) throws Exception {
        String body = "{\"v\":1,\"rooms\":{\"" + room + "\":" + JsonWriter.write(since) + "}}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/live/poll"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> frames =
                (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body())).get("frames");
        return frames.stream()
                .filter(f -> !"welcome".equals(f.get("type")) && !"count".equals(f.get("type")))
                .toList();
    }

    /** The next frame that is not a viewer count (those follow the audience, not the history). */
    private static Map<String, Object> next(RawWebSocket ws) {
        while (true) {
            Map<String, Object> f = ws.next(WAIT);
            if (!"count".equals(f.get("type"))) return f;
        }
    }

    private static String score(int n) {
        return "{\"n\":" + n + "}";
    }

    /** Frames until {@code count} message frames have arrived. */
    private static List<Map<String, Object>> collect(RawWebSocket ws, int count) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (numbers(out).size() < count) out.add(next(ws));
        return out;
    }

    private static List<Object> numbers(List<Map<String, Object>> frames) {
        return frames.stream()
                .filter(f -> "message".equals(f.get("type")))
                .map(f -> (Object) ((Map<?, ?>) f.get("data")).get("n"))
                .toList();
    }

    private static List<Object> types(List<Map<String, Object>> frames, String type) {
        return frames.stream()
                .map(f -> f.get("type"))
                .filter(type::equals)
                .map(t -> (Object) t)
                .toList();
    }

    private static int indexOfType(List<Map<String, Object>> frames, String type) {
        for (int i = 0; i < frames.size(); i++) if (type.equals(frames.get(i).get("type"))) return i;
        return -1;
    }
}
