package io.tally.realtime;

import static io.tally.testing.Frames.batch;
import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.offset;
import static io.tally.testing.Frames.parse;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.TallyServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The long-poll mapping of the protocol, spoken raw over HTTP. */
class PollingConformanceIT {
    private TallyServer server;

    private String start(Map<String, String> settings) {
        server = TallyServer.start(settings);
        return server.baseUrl() + "/live/poll";
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private static HttpResponse<String> poll(String url, String body) {
        return Http.post(url, "application/json", body);
    }

    @Test
    void aGetIsAProbeAnsweredAtOnceWithAWelcome() {
        String url = start(Map.of("TALLY_INSTANCE_ID", "web-poll"));
        HttpResponse<String> r = Http.get(url);
        assertEquals(200, r.statusCode());
        Map<String, Object> welcome = batch(r.body()).get(0);
        assertEquals("welcome", welcome.get("type"));
        assertEquals("polling", welcome.get("transport"));
        assertEquals("web-poll", parse(r.body()).get("instance"));
    }

    @Test
    void aRoomWithoutPositionIsAcknowledgedAtItsEnd() {
        String url = start(Map.of());
        server.realtime().publish("game-1", "{\"n\":1}");
        List<Map<String, Object>> frames = batch(poll(url, "{\"v\":1,\"hello\":true,\"rooms\":{\"game-1\":null}}")
                .body());
        assertEquals("welcome", frames.get(0).get("type"));
        assertEquals("ack", frames.get(1).get("type"));
        assertEquals("1", offset(frames.get(1)));
    }

    @Test
    void aPollReturnsEveryPendingMessageOfEveryRoomInOneResponse() {
        String url = start(Map.of());
        Position a = server.realtime().tip("a");
        Position b = server.realtime().tip("b");
        for (int i = 1; i <= 3; i++) {
            server.realtime().publish("a", "{\"n\":" + i + "}");
            server.realtime().publish("b", "{\"n\":" + i + "}");
        }
        List<Map<String, Object>> frames = batch(
                poll(url, "{\"rooms\":{\"a\":" + position(a.epoch(), "0") + ",\"b\":" + position(b.epoch(), "1") + "}}")
                        .body());
        assertEquals(
                List.of("a", "a", "a", "b", "b"),
                frames.stream().map(f -> f.get("room")).toList());
        assertEquals(
                List.of(1L, 2L, 3L, 2L, 3L),
                frames.stream().map(f -> data(f).get("n")).toList());
    }

    @Test
    void aHeldPollIsAnsweredWhenAMessageArrives() throws Exception {
        String url = start(Map.of("TALLY_POLL_HOLD_MS", "20000"));
        Position tip = server.realtime().tip("game-1");
        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(
                () -> poll(url, "{\"rooms\":{\"game-1\":" + position(tip.epoch(), tip.offset()) + "}}"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.realtime().status().pollsWaiting() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, server.realtime().status().pollsWaiting(), "the poll is held");
        server.realtime().publish("game-1", "{\"n\":1}");
        List<Map<String, Object>> frames = batch(held.get().body());
        assertEquals(1, frames.size());
        assertEquals(1L, data(frames.get(0)).get("n"));
    }

    @Test
    void aQuietPollEndsWithAnEmptyBatchWhenTheHoldIsOver() {
        String url = start(Map.of("TALLY_POLL_HOLD_MS", "300"));
        Position tip = server.realtime().tip("game-1");
        long t0 = System.nanoTime();
        HttpResponse<String> r = poll(url, "{\"rooms\":{\"game-1\":" + position(tip.epoch(), tip.offset()) + "}}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(batch(r.body()).isEmpty());
        assertTrue(ms >= 250, "held for the poll hold, was " + ms + " ms");
    }

    @Test
    void aForeignEpochGetsAReset() {
        String url = start(Map.of());
        server.realtime().publish("game-1", "{\"n\":1}");
        Map<String, Object> reset = batch(poll(url, "{\"rooms\":{\"game-1\":" + position("gone", "9") + "}}")
                        .body())
                .get(0);
        assertEquals("reset", reset.get("type"));
        assertEquals("epoch-changed", reset.get("reason"));
    }

    @Test
    void badPollsGetProblemJsonWithAStableCode() {
        String url = start(Map.of("TALLY_MAX_FRAME_BYTES", "1024", "TALLY_MAX_ROOMS_PER_CONNECTION", "2"));
        assertProblem(poll(url, "{nope"), 400, "bad-json");
        assertProblem(poll(url, "{\"rooms\":[1]}"), 400, "bad-frame");
        assertProblem(poll(url, "{\"rooms\":{\"bad room\":null}}"), 400, "bad-room");
        assertProblem(poll(url, "{\"rooms\":{\"r\":{\"epoch\":1}}}"), 400, "bad-position");
        assertProblem(poll(url, "{\"rooms\":{\"a\":null,\"b\":null,\"c\":null}}"), 400, "too-many-rooms");
        assertProblem(poll(url, "{\"v\":7}"), 400, "bad-version");
        assertProblem(Http.post(url, "text/plain", "{}"), 415, "unsupported-media-type");
        assertProblem(poll(url, "{\"pad\":\"" + "x".repeat(2000) + "\"}"), 413, "too-large");
        assertProblem(
                Http.post(url, "application/json", "{}", "Origin", "https://evil.example"), 403, "origin-forbidden");
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        Map<String, Object> p = parse(r.body());
        assertEquals(code, p.get("code"));
        assertEquals((long) status, p.get("status"));
        assertTrue(((String) p.get("detail")).length() > 5);
    }
}
