package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The unknown-room attack against Redis mode: no key is created; a published room's keys expire. */
class RedisAbuseIT {
    private RedisServer redis;
    private TallyServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop();
        if (redis != null) redis.close();
    }

    @Test
    void unknownRoomsCreateNoKeyAndPublishedRoomsExpire() {
        redis = RedisServer.start();
        server = TallyServer.start(Map.of(
                "REDIS_URL",
                redis.url(),
                "TALLY_SAMPLE_GAME",
                "false",
                "TALLY_POLLS_PER_SECOND",
                "10000",
                "TALLY_ROOM_TTL_S",
                "3600"));
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            java.util.Set<String> before = jedis.keys("*");
            HttpClient http = HttpClient.newHttpClient();
            try (RawWebSocket ws = RawWebSocket.connect(http, server.wsUrl())) {
                ws.nextOfType("welcome");
                for (int i = 1; i <= 30; i++)
                    ws.send("{\"type\":\"subscribe\",\"id\":" + i + ",\"room\":\"game-r" + i + "\"}");
                for (int i = 1; i <= 30; i++)
                    assertEquals("unknown-room", ws.nextOfType("error").get("code"));
            }
            for (int p = 0; p < 100; p++) {
                StringBuilder body = new StringBuilder("{\"v\":1,\"rooms\":{");
                for (int i = 0; i < 50; i++) {
                    if (i > 0) body.append(',');
                    body.append("\"game-p")
                            .append(p)
                            .append('x')
                            .append(i)
                            .append("\":{\"epoch\":\"e\",\"offset\":\"0\"}");
                }
                HttpResponse<String> r = Http.post(
                        server.baseUrl() + "/live/poll",
                        "application/json",
                        body.append("}}").toString());
                assertEquals(200, r.statusCode(), r.body());
            }
            for (int i = 0; i < 1_000; i++)
                assertEquals(
                        404, Http.get(server.baseUrl() + "/api/games/nope" + i).statusCode());
            // The instance's own keys (viewer counts, doctor presence) may appear meanwhile; none may
            // belong to an asked room, and their number does not follow what was asked.
            java.util.Set<String> added = new java.util.TreeSet<>(jedis.keys("*"));
            added.removeAll(before);
            System.out.printf("Redis: 6,030 unknown rooms asked; %d keys before, new keys: %s%n", before.size(), added);
            assertTrue(
                    added.stream().noneMatch(k -> k.contains("game-r") || k.contains("game-p") || k.contains("nope")),
                    () -> "keys for unknown rooms: " + added);
            assertTrue(added.size() <= 4, () -> "keys that are not the instance's own: " + added);

            server.realtime().publish("game-live", "{\"n\":1}");
            long ttl = jedis.ttl("tally:{game-live}:stream");
            assertTrue(ttl > 3_500 && ttl <= 3_600, "stream TTL " + ttl);
            assertTrue(jedis.ttl("tally:{game-live}:epoch") > 3_500, "epoch key TTL");
        }
    }
}
