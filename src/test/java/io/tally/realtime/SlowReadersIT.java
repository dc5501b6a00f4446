package io.tally.realtime;

import static io.tally.testing.Frames.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RawHandshake;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading must cost nobody else: their history replays hold no shared thread
 * (welcomes and acks of other clients go out at once), and live fan-out to them does not stall
 * the viewers beside them for more than one send timeout.
 */
class SlowReadersIT {
    private static final String BIG = "x".repeat(8_000);

    @Test
    void pausedReadersReplayingLongHistoriesDoNotDelayOtherClients() throws Exception {
        // Small socket buffers on both ends, so a reader that stops reading backs up the server's
        // queue after a few frames instead of after megabytes of loopback buffering.
        Map<String, String> settings =
                Map.of("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "1000", "TALLY_SEND_QUEUE_LIMIT", "20");
        try (TallyServer server = TallyServer.start(
                        "127.0.0.1", 0, settings, Map.of("socket.txBufSize", "4096"), c -> {})
                .withOpenRooms()) {
            int rooms = 6; // more than the worker threads (4 on this machine's size)
            for (int r = 0; r < rooms; r++) {
                for (int n = 0; n < 200; n++)
                    server.realtime().publish("replay-" + r, "{\"n\":" + n + ",\"pad\":\"" + noise() + "\"}");
            }
            List<Socket> paused = new ArrayList<>();
            try {
                for (int r = 0; r < rooms; r++) {
                    paused.add(pausedReader(
                            server.wsUrl(),
                            "{\"type\":\"subscribe\",\"id\":1,\"room\":\"replay-" + r + "\",\"since\":{\"epoch\":\""
                                    + server.realtime().tip("replay-" + r).epoch() + "\",\"offset\":\"0\"}}"));
                }
                long start = System.nanoTime();
                try (RawWebSocket fresh = RawWebSocket.connect(server.wsUrl())) {
                    fresh.nextOfType("welcome");
                    fresh.send("{\"type\":\"subscribe\",\"id\":7,\"room\":\"game-1\"}");
                    fresh.nextOfType("ack");
                    server.realtime().publish("game-1", "{\"n\":1}");
                    assertEquals(1L, data(fresh.nextOfType("message")).get("n"));
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("SlowReadersIT: welcome, ack and a message beside " + rooms + " paused replays in "
                        + ms + " ms");
                assertTrue(ms < 3_000, "a fresh client is served at once: " + ms + " ms");
            } finally {
                for (Socket s : paused) s.close();
            }
        }
    }

    @Test
    void pausedLiveViewersStallTheirNeighboursForAtMostOneSendTimeout() throws Exception {
        Map<String, String> settings = Map.of(
                "TALLY_MAX_CONNECTIONS_PER_ADDRESS", "1000",
                "TALLY_WS_SEND_TIMEOUT_MS", "300",
                "TALLY_SEND_QUEUE_LIMIT", "64");
        try (TallyServer server = TallyServer.start(settings).withOpenRooms()) {
            List<Socket> paused = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    paused.add(pausedReader(server.wsUrl(), "{\"type\":\"subscribe\",\"id\":1,\"room\":\"hot\"}"));
                }
                try (RawWebSocket viewer = RawWebSocket.connect(server.wsUrl())) {
                    viewer.nextOfType("welcome");
                    viewer.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"hot\"}");
                    viewer.nextOfType("ack");
                    long worst = 0;
                    for (int n = 1; n <= 200; n++) {
                        long sent = System.nanoTime();
                        server.realtime().publish("hot", "{\"n\":" + n + ",\"pad\":\"" + BIG + BIG + "\"}");
                        Map<String, Object> m = viewer.nextOfType("message");
                        assertEquals((long) n, data(m).get("n"), "every message, in order");
                        worst = Math.max(worst, (System.nanoTime() - sent) / 1_000_000);
                    }
                    System.out.println(
                            "SlowReadersIT: 20 paused viewers beside one reader: worst latency " + worst + " ms");
                    assertTrue(
                            worst < 2_500,
                            "a couple of send timeouts (300 ms) of stall, not one per paused viewer (6 s): " + worst
                                    + " ms");
                }
            } finally {
                for (Socket s : paused) s.close();
            }
        }
    }

    /** 8 KB that no compression shrinks, so a reader's backlog is as large on the wire as in memory. */
    private static String noise() {
        byte[] bytes = new byte[6_000];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A WebSocket client with a tiny receive buffer that subscribes and then never reads again. */
    private static Socket pausedReader(String wsUrl, String subscribe) throws IOException {
        RawHandshake h = RawHandshake.open(wsUrl, RawHandshake.BROWSER_EXTENSIONS, 4096);
        if (!h.upgraded()) throw new IOException("no upgrade");
        h.sendText(subscribe);
        return h.socket(); // never read from again
    }
}
