package io.tally.realtime;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.epoch;
import static io.tally.testing.Frames.map;
import static io.tally.testing.Frames.offset;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.session.FanoutHold;
import io.tally.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol over WebSocket, spoken raw, against any container. Subclasses start Tally in a
 * given container with the settings asked for.
 */
abstract class WebSocketConformance {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Starts a server with these settings; returns its {@code ws://} URL and registers it for closing. */
    protected abstract String start(Map<String, String> settings);

    protected abstract Realtime realtime();

    protected final void closeLater(AutoCloseable c) {
        open.add(c);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        open.clear();
    }

    private String server() {
        return start(new HashMap<>());
    }

    private RawWebSocket connect(String url) {
        RawWebSocket ws = RawWebSocket.connect(url);
        closeLater(ws);
        return ws;
    }

    private static String payload(int n) {
        return "{\"n\":" + n + "}";
    }

    @Test
    void welcomeArrivesFirstWithVersionHeartbeatInstanceAndLimits() {
        RawWebSocket ws = connect(start(Map.of("TALLY_INSTANCE_ID", "web-test", "TALLY_HEARTBEAT_MS", "25000")));
        Map<String, Object> welcome = ws.next();
        assertEquals("welcome", welcome.get("type"));
        assertEquals(1L, welcome.get("v"));
        assertEquals("web-test", welcome.get("instance"));
        assertEquals("websocket", welcome.get("transport"));
        assertEquals(25000L, welcome.get("heartbeat"));
        assertEquals(65536L, map(welcome.get("limits")).get("maxFrameBytes"));
    }

    @Test
    void subscribeFromNowAcksTheRoomsEndThenDeliversLiveMessagesInOrder() {
        String url = server();
        realtime().publish("game-1", payload(0)); // before: must not be delivered
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
        Map<String, Object> ack = ws.nextOfType("ack");
        assertEquals(1L, ack.get("id"));
        assertEquals("1", offset(ack));
        for (int i = 1; i <= 20; i++) realtime().publish("game-1", payload(i));
        for (int i = 1; i <= 20; i++) {
            Map<String, Object> m = ws.nextOfType("message");
            assertEquals("game-1", m.get("room"));
            assertEquals((long) i, data(m).get("n"));
            assertEquals(Integer.toString(i + 1), offset(m));
        }
    }

    @Test
    void subscribeSinceAPositionReplaysWhatWasMissedThenGoesLive() {
        String url = server();
        Position first = realtime().publish("game-1", payload(1));
        for (int i = 2; i <= 5; i++) realtime().publish("game-1", payload(i));
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":7,\"room\":\"game-1\",\"since\":"
                + position(first.epoch(), first.offset()) + "}");
        assertEquals(first.offset(), offset(ws.nextOfType("ack")));
        realtime().publish("game-1", payload(6));
        for (int i = 2; i <= 6; i++)
            assertEquals((long) i, data(ws.nextOfType("message")).get("n"));
        assertTrue(
                ws.drain(Duration.ofMillis(200)).stream().noneMatch(f -> "message".equals(f.get("type"))),
                "no duplicates");
    }

    @Test
    void messagesThatWaitedTogetherGoAsOneArrayFrameOnlyToAClientThatAskedForBatches() throws Exception {
        String url = server();
        RawWebSocket batching = connect(url + "?batch=1");
        RawWebSocket plain = connect(url);
        for (RawWebSocket ws : List.of(batching, plain)) {
            ws.nextOfType("welcome");
            ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
            ws.nextOfType("ack");
        }
        // Message 0 proves both subscriptions live (the ack can come before the subscription
        // leaves its catch-up, whose buffer is replayed a frame per message).
        realtime().publish("game-1", payload(0));
        for (RawWebSocket ws : List.of(batching, plain))
            assertEquals(0L, data(ws.nextOfType("message")).get("n"));
        // The fan-out is held inside message 1's delivery, so messages 2-6 are all waiting when it
        // comes back: they leave as one batch.
        try (FanoutHold hold = FanoutHold.on(realtime(), "game-1")) {
            realtime().publish("game-1", payload(1));
            hold.awaitHeld();
            for (int i = 2; i <= 6; i++) realtime().publish("game-1", payload(i));
        }
        assertEquals(1L, data(batching.nextOfType("message")).get("n"));
        List<?> frames = (List<?>) batching.nextOfType(RawWebSocket.BATCH).get("frames");
        assertEquals(5, frames.size());
        for (int i = 0; i < 5; i++) {
            assertEquals("message", map(frames.get(i)).get("type"));
            assertEquals((long) i + 2, data(map(frames.get(i))).get("n"));
        }
        for (int i = 1; i <= 6; i++)
            assertEquals((long) i, data(plain.nextOfType("message")).get("n"));
        for (RawWebSocket ws : List.of(batching, plain)) {
            assertTrue(
                    ws.drain(Duration.ofMillis(200)).stream()
                            .noneMatch(
                                    f -> "message".equals(f.get("type")) || RawWebSocket.BATCH.equals(f.get("type"))),
                    "no duplicates");
        }
    }

    @Test
    void aPositionFromAnotherEpochIsAnsweredWithAReset() {
        String url = server();
        realtime().publish("game-1", payload(1));
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":" + position("old-epoch", "3") + "}");
        ws.nextOfType("ack");
        Map<String, Object> reset = ws.nextOfType("reset");
        assertEquals("epoch-changed", reset.get("reason"));
        assertEquals("1", offset(reset));
        realtime().publish("game-1", payload(2));
        assertEquals(2L, data(ws.nextOfType("message")).get("n"));
    }

    @Test
    void aPositionOlderThanTheRetainedHistoryIsAnsweredWithAReset() {
        String url = start(Map.of("TALLY_HISTORY_SIZE", "5"));
        Position first = realtime().publish("game-1", payload(1));
        for (int i = 2; i <= 10; i++) realtime().publish("game-1", payload(i));
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":"
                + position(first.epoch(), first.offset()) + "}");
        ws.nextOfType("ack");
        Map<String, Object> reset = ws.nextOfType("reset");
        assertEquals("history-trimmed", reset.get("reason"));
        assertEquals("10", offset(reset));
        assertEquals(first.epoch(), epoch(reset));
    }

    @Test
    void unsubscribeIsAcknowledgedAndStopsDelivery() {
        String url = server();
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
        ws.nextOfType("ack");
        ws.send("{\"type\":\"unsubscribe\",\"id\":2,\"room\":\"game-1\"}");
        assertEquals(2L, ws.nextOfType("ack").get("id"));
        realtime().publish("game-1", payload(1));
        ws.send("{\"type\":\"ping\",\"id\":3}");
        List<Map<String, Object>> rest = new ArrayList<>();
        rest.add(ws.nextOfType("pong"));
        rest.addAll(ws.drain(Duration.ofMillis(200)));
        assertTrue(
                rest.stream().noneMatch(f -> "message".equals(f.get("type"))), "no message after unsubscribe: " + rest);
    }

    @Test
    void clientPingIsAnsweredWithPongCarryingItsId() {
        RawWebSocket ws = connect(server());
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"ping\",\"id\":42}");
        assertEquals(42L, ws.nextOfType("pong").get("id"));
    }

    @Test
    void badInputGetsAnErrorWithAStableCodeAndTheConnectionStaysUsable() {
        RawWebSocket ws = connect(start(Map.of("TALLY_MAX_ROOMS_PER_CONNECTION", "2", "TALLY_MAX_JSON_DEPTH", "4")));
        ws.nextOfType("welcome");
        assertError(ws, "{not json", "bad-json", null);
        assertError(ws, "[1,2]", "bad-json", null);
        assertError(ws, "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "bad-json", null);
        assertError(ws, "{\"type\":\"dance\",\"id\":5}", "bad-frame", 5L);
        assertError(ws, "{\"type\":\"subscribe\",\"room\":\"game-1\"}", "bad-frame", null);
        assertError(ws, "{\"type\":\"subscribe\",\"id\":6}", "bad-frame", 6L);
        assertError(ws, "{\"type\":\"subscribe\",\"id\":7,\"room\":\"<script>\"}", "bad-room", 7L);
        assertError(
                ws,
                "{\"type\":\"subscribe\",\"id\":8,\"room\":\"g\",\"since\":{\"epoch\":\"e\",\"offset\":\"x\"}}",
                "bad-position",
                8L);
        assertError(ws, "{\"type\":\"hello\",\"v\":1}{", "bad-json", null);
        ws.send("{\"type\":\"subscribe\",\"id\":9,\"room\":\"a\"}");
        ws.send("{\"type\":\"subscribe\",\"id\":10,\"room\":\"b\"}");
        ws.send("{\"type\":\"subscribe\",\"id\":11,\"room\":\"c\"}");
        assertEquals("too-many-rooms", ws.nextOfType("error").get("code"));
        ws.send("{\"type\":\"ping\",\"id\":12}");
        assertEquals(12L, ws.nextOfType("pong").get("id"));
        assertTrue(!ws.isClosed(), "connection kept after recoverable errors");
    }

    @Test
    void anUnknownProtocolVersionIsRefusedAndClosed() {
        RawWebSocket ws = connect(server());
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"hello\",\"v\":99}");
        assertEquals("bad-version", ws.nextOfType("error").get("code"));
        assertEquals(1002, ws.awaitClose());
    }

    private static void assertError(RawWebSocket ws, String frame, String code, Long id) {
        ws.send(frame);
        Map<String, Object> error = ws.nextOfType("error");
        assertEquals(code, error.get("code"), "for " + frame + ": " + error);
        assertEquals(id, error.get("id"), "request id echoed for " + frame);
        assertNotNull(error.get("message"));
    }

    @Test
    void aLargeFrameWithinTheLimitIsAccepted() {
        RawWebSocket ws = connect(start(Map.of("TALLY_MAX_FRAME_BYTES", "40000")));
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"ping\",\"id\":1,\"pad\":\"" + "x".repeat(30_000) + "\"}");
        assertEquals(1L, ws.nextOfType("pong").get("id"));
    }

    @Test
    void anOversizedFrameClosesTheConnectionWith1009() {
        RawWebSocket ws = connect(start(Map.of("TALLY_MAX_FRAME_BYTES", "1024")));
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4000) + "\"}");
        assertEquals(1009, ws.awaitClose());
    }

    @Test
    void theServerPingsOnItsHeartbeatAndKeepsAPeerThatAnswers() {
        // Ten heartbeats outlast heartbeat + timeout (1.7 s): only answering kept the peer. The
        // timeout is generous so a loaded machine's slow pong is not mistaken for a dead peer.
        String url = start(Map.of("TALLY_HEARTBEAT_MS", "200", "TALLY_PEER_TIMEOUT_MS", "1500"));
        RawWebSocket ws = RawWebSocket.connect(url, null, false);
        closeLater(ws);
        ws.nextOfType("welcome");
        for (int i = 0; i < 10; i++) {
            ws.nextOfType("ping");
            ws.send("{\"type\":\"pong\"}");
        }
        assertTrue(!ws.isClosed(), "a peer that answers pings stays connected");
    }

    @Test
    void aSilentPeerIsClosedAsDead() {
        String url = start(Map.of("TALLY_HEARTBEAT_MS", "300", "TALLY_PEER_TIMEOUT_MS", "300"));
        RawWebSocket ws = RawWebSocket.connect(url, null, false);
        closeLater(ws);
        ws.nextOfType("welcome");
        assertEquals(1008, ws.awaitClose());
    }

    @Test
    void aFloodOfRequestsIsRateLimitedThenClosed() {
        RawWebSocket ws = connect(start(Map.of("TALLY_REQUESTS_PER_SECOND", "5")));
        ws.nextOfType("welcome");
        for (int i = 1; i <= 15; i++) ws.send("{\"type\":\"ping\",\"id\":" + i + "}");
        assertEquals("rate-limited", ws.nextOfType("error").get("code"));
        for (int i = 0; i < 40 && !ws.isClosed(); i++) ws.send("{\"type\":\"ping\"}");
        assertEquals(1008, ws.awaitClose());
    }

    /** A client that holds still on purpose (it is the behaviour under test, not a wait for a result). */
    private static void pauseFor(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSlowConsumerIsDisconnectedWith1013AndResumesWithoutLoss() {
        String url = start(
                Map.of("TALLY_SEND_QUEUE_LIMIT", "8", "TALLY_HISTORY_SIZE", "5000", "TALLY_WS_SEND_TIMEOUT_MS", "300"));
        RawWebSocket ws = connect(url);
        ws.nextOfType("welcome");
        ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"big\"}");
        Map<String, Object> ack = ws.nextOfType("ack");
        ws.pause();
        String pad = "y".repeat(16_000);
        for (int i = 1; i <= 2000; i++) realtime().publish("big", "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
        // The client stays paused longer than the send timeout: where the fan-out writes inline
        // (Tomcat) a write to it blocks and times out; elsewhere its queue overflows.
        pauseFor(Duration.ofMillis(1_500));
        ws.resume();
        long seen = 0;
        String lastOffset = offset(ack);
        while (true) {
            List<Map<String, Object>> batch = ws.drain(Duration.ofMillis(300));
            for (Map<String, Object> f : batch) {
                if ("message".equals(f.get("type"))) {
                    assertEquals(++seen, data(f).get("n"));
                    lastOffset = offset(f);
                }
            }
            if (batch.isEmpty() && (ws.isClosed() || seen == 2000)) break;
        }
        assertTrue(seen < 2000, "the consumer was cut off before the end");
        int code = ws.awaitClose();
        // 1013 when the queue overflowed; 1006 when the socket itself was stuck (no close frame fits).
        assertTrue(code == 1013 || code == 1006, "closed as a slow consumer: " + code);
        RawWebSocket again = connect(url);
        again.nextOfType("welcome");
        again.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"big\",\"since\":" + position(epoch(ack), lastOffset)
                + "}");
        again.nextOfType("ack");
        while (seen < 2000)
            assertEquals(++seen, data(again.nextOfType("message")).get("n"));
    }
}
