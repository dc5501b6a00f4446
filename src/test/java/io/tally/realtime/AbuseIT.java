package io.tally.realtime;

import static io.tally.testing.Frames.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks an anonymous client can make against one instance (memory broker, embedded Tomcat on
 * loopback), each bounded, each failing on a build without the defence. The figures they print go
 * into docs/SECURITY.md.
 */
class AbuseIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RawWebSocket> open = new ArrayList<>();
    private TallyServer server;

    @AfterEach
    void stop() {
        open.forEach(RawWebSocket::close);
        if (server != null) server.stop();
    }

    private RawWebSocket connect(String... headers) {
        RawWebSocket ws = RawWebSocket.connect(http, server.wsUrl(), headers);
        open.add(ws);
        ws.nextOfType("welcome");
        return ws;
    }

    private HttpResponse<String> poll(String body, String... headers) {
        return Http.post(server.baseUrl() + "/live/poll", "application/json", body, headers);
    }

    private static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(
                    least,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    @Test
    void tenThousandUnknownRoomsAllocateNothing() throws Exception {
        server = TallyServer.start(Map.of("TALLY_POLLS_PER_SECOND", "10000", "TALLY_POLL_HOLD_MS", "500"));
        // Warm up every path as wide as the attack, so class loading and the container's connection
        // caches are in the baseline.
        List<RawWebSocket> warm = new ArrayList<>();
        for (int c = 0; c < 100; c++) warm.add(connect());
        for (RawWebSocket ws : warm) ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"warm-up\"}");
        for (RawWebSocket ws : warm) ws.nextOfType("error");
        warm.forEach(RawWebSocket::close);
        open.clear();
        poll("{\"v\":1,\"rooms\":{\"warm-up\":null}}");
        Http.get(server.baseUrl() + "/api/games/warm-up");
        long before = heapAfterGc();
        int rooms = 0;

        // 3,000 subscribes over 100 connections (30 each: within the per-connection frame burst).
        List<RawWebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < 100; c++) sockets.add(connect());
        for (int c = 0; c < sockets.size(); c++) {
            for (int i = 0; i < 30; i++) {
                sockets.get(c)
                        .send("{\"type\":\"subscribe\",\"id\":" + (i + 1) + ",\"room\":\"game-ws" + c + "x" + i
                                + "\"}");
                rooms++;
            }
        }
        for (RawWebSocket ws : sockets) {
            for (int i = 0; i < 30; i++) {
                Map<String, Object> f = ws.nextOfType("error");
                assertEquals("unknown-room", f.get("code"), String.valueOf(f));
            }
        }
        // 5,000 through 100 polls of 50 rooms, from the room's end and from a position.
        for (int p = 0; p < 100; p++) {
            StringBuilder body = new StringBuilder("{\"v\":1,\"rooms\":{");
            for (int i = 0; i < 50; i++) {
                if (i > 0) body.append(',');
                body.append("\"game-poll")
                        .append(p)
                        .append('x')
                        .append(i)
                        .append("\":")
                        .append(i % 2 == 0 ? "null" : "{\"epoch\":\"e\",\"offset\":\"7\"}");
                rooms++;
            }
            HttpResponse<String> r = poll(body.append("}}").toString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(50, r.body().split("unknown-room", -1).length - 1, "a per-room answer for each");
        }
        // 2,000 game pages that do not exist.
        for (int i = 0; i < 2_000; i++) {
            assertEquals(404, Http.get(server.baseUrl() + "/api/games/nope" + i).statusCode());
            rooms++;
        }
        sockets.forEach(RawWebSocket::close);
        open.clear();

        long grown = heapAfterGc() - before;
        int held = server.realtime().status().activeRooms();
        System.out.printf(
                "unknown rooms: %d asked, hub rooms held %d, heap after GC grew %.1f MB%n", rooms, held, grown / 1e6);
        assertEquals(10_000, rooms);
        assertEquals(0, held, "no room is watched for an unknown room");
        // A build that kept a 1,000-slot ring per room read held over 40 MB here.
        assertTrue(grown < 16_000_000, "heap grew " + grown + " bytes");
        // The rooms the app created still work: the sample game's room and the games list.
        RawWebSocket viewer = connect();
        viewer.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"games\"}");
        assertEquals(
                "ack", viewer.nextMatching(f -> !"ping".equals(f.get("type"))).get("type"));
    }

    @Test
    void reservedRoomsAreNotReachableEvenWhenPublishedTo() {
        server = TallyServer.start(Map.of());
        server.realtime().publish("tally-doctor.probes", "{\"probe\":\"x\",\"upgrade\":\"<script>\"}");
        RawWebSocket ws = connect();
        ws.send(
                "{\"type\":\"subscribe\",\"id\":3,\"room\":\"tally-doctor.probes\",\"since\":{\"epoch\":\"e\",\"offset\":\"0\"}}");
        Map<String, Object> error = ws.nextOfType("error");
        assertEquals("unknown-room", error.get("code"));
        assertEquals(3L, ((Number) error.get("id")).longValue());
        HttpResponse<String> r = poll("{\"v\":1,\"rooms\":{\"tally-doctor.probes\":null}}");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("unknown-room") && !r.body().contains("<script>"), r.body());
        // A room that was published to is reachable without the app naming it.
        server.realtime().publish("open-room", "{\"n\":1}");
        ws.send("{\"type\":\"subscribe\",\"id\":4,\"room\":\"open-room\"}");
        assertEquals(
                "ack",
                ws.nextMatching(f -> "ack".equals(f.get("type")) || "error".equals(f.get("type")))
                        .get("type"));
    }

    @Test
    void tricklingPollBodiesHoldNoContainerThread() throws Exception {
        // The poll rate limit stays out of the way: this is about threads and the per-address slots.
        server = TallyServer.start(Map.of("TALLY_POLL_BODY_MS", "4000", "TALLY_POLLS_PER_SECOND", "10000"));
        long[] quiet = new long[40];
        for (int i = 0; i < quiet.length; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, Http.get(server.baseUrl() + "/healthz").statusCode());
            quiet[i] = System.nanoTime() - t0;
        }
        Arrays.sort(quiet);
        System.out.printf(
                "/healthz alone: median %.1f ms, max %.1f ms%n",
                quiet[quiet.length / 2] / 1e6, quiet[quiet.length - 1] / 1e6);
        List<Socket> trickling = new ArrayList<>();
        try {
            byte[] head = ("POST /live/poll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 400\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 220; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(15_000);
                s.getOutputStream().write(head);
                trickling.add(s);
            }
            long[] latencies = new long[40];
            for (int i = 0; i < latencies.length; i++) {
                for (Socket s : trickling) {
                    try {
                        s.getOutputStream().write(' ');
                    } catch (java.io.IOException refusedAndClosed) {
                        // one of the 20 over the per-address limit: answered 429 and closed
                    }
                }
                long t0 = System.nanoTime();
                assertEquals(200, Http.get(server.baseUrl() + "/healthz").statusCode());
                latencies[i] = System.nanoTime() - t0;
            }
            Arrays.sort(latencies);
            long p99 = latencies[latencies.length - 1];
            System.out.printf(
                    "/healthz beside 220 trickling poll bodies: median %.1f ms, max %.1f ms%n",
                    latencies[latencies.length / 2] / 1e6, p99 / 1e6);
            assertTrue(p99 < 1_000_000_000L, "the slowest /healthz took " + p99 / 1_000_000 + " ms");
            // The body deadline answers them: 408, or 429 for those over the per-address limit.
            int timedOut = 0;
            int limited = 0;
            for (Socket s : trickling) {
                String status = statusLine(s.getInputStream());
                if (status.contains(" 408 ")) timedOut++;
                else if (status.contains(" 429 ")) limited++;
            }
            System.out.printf(
                    "trickling bodies: %d answered 408 at the deadline, %d refused 429 at the gate%n",
                    timedOut, limited);
            assertEquals(200, timedOut);
            assertEquals(20, limited);
        } finally {
            for (Socket s : trickling) s.close();
        }
        // Their slots came back.
        connect();
    }

    private static String statusLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') sb.append((char) c);
        return sb.toString();
    }

    @Test
    void anAnswerIsBoundedInBytesAndTheRestFollowsInOrderOnce() {
        server = TallyServer.start(Map.of("TALLY_POLL_HOLD_MS", "300", "TALLY_POLLS_PER_SECOND", "1000"));
        String filler = "x".repeat(3_000);
        Position first = null;
        for (int i = 1; i <= 600; i++) {
            Position p = server.realtime().publish("big-room", "{\"n\":" + i + ",\"pad\":\"" + filler + "\"}");
            if (first == null) first = p;
        }
        String epoch = first.epoch();
        String offset = "0";
        int next = 1;
        int largest = 0;
        int answers = 0;
        while (next <= 600 && answers < 100) {
            String body =
                    "{\"v\":1,\"rooms\":{\"big-room\":{\"epoch\":\"" + epoch + "\",\"offset\":\"" + offset + "\"}}}";
            HttpResponse<String> r = poll(body);
            answers++;
            assertEquals(200, r.statusCode(), r.body());
            largest = Math.max(largest, r.body().getBytes(StandardCharsets.UTF_8).length);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> frames =
                    (List<Map<String, Object>>) parse(r.body()).get("frames");
            for (Map<String, Object> f : frames) {
                if (!"message".equals(f.get("type"))) continue;
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) f.get("data");
                assertEquals(next, ((Number) data.get("n")).intValue(), "in order, each once");
                next++;
                @SuppressWarnings("unchecked")
                Map<String, Object> position = (Map<String, Object>) f.get("position");
                offset = (String) position.get("offset");
            }
        }
        System.out.printf("600 messages of 3 kB: %d answers, largest %d bytes%n", answers, largest);
        assertEquals(601, next, "every message arrived");
        assertTrue(largest <= 262_144, "largest answer " + largest + " bytes");
    }

    @Test
    void pollsAreRateLimitedPerAddress() {
        server = TallyServer.start(Map.of("TALLY_POLLS_PER_SECOND", "5"));
        int limited = 0;
        HttpResponse<String> refusal = null;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = Http.get(server.baseUrl() + "/live/poll", "X-Forwarded-For", "198.51.100.7");
            if (r.statusCode() == 429) {
                limited++;
                refusal = r;
            }
        }
        assertTrue(limited >= 15, limited + " of 30 refused");
        assertEquals("rate-limited", parse(refusal.body()).get("code"));
        assertEquals(
                "application/problem+json",
                refusal.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(refusal.headers().firstValue("Retry-After").isPresent());
        assertEquals(
                200,
                Http.get(server.baseUrl() + "/live/poll", "X-Forwarded-For", "203.0.113.8")
                        .statusCode(),
                "another address is unaffected");
    }

    @Test
    void aForgedForwardedForDoesNotDefeatThePerAddressLimit() {
        server = TallyServer.start(Map.of("TALLY_MAX_CONNECTIONS_PER_ADDRESS", "5"));
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            // A single instance: nginx (the loopback peer) appended the client's real address after its forgery.
            try {
                connect("X-Forwarded-For", "6.6.6." + i + ", 198.51.100.7");
                opened++;
            } catch (RuntimeException e) {
                refused++;
            }
        }
        assertEquals(5, opened);
        assertEquals(5, refused);
    }

    @Test
    void parallelOpensGetExactlyTheLimit() throws Exception {
        server = TallyServer.start(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(64);
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            // A handshake that fails for another reason than the limit (a client-side timeout
                            // on a busy machine) is tried again: only the server's 429s count as refusals.
                            for (int attempt = 0; attempt < 5; attempt++) {
                                try {
                                    RawWebSocket ws = RawWebSocket.connect(
                                            http, server.wsUrl(), "X-Forwarded-For", "198.51.100.9");
                                    synchronized (open) {
                                        open.add(ws);
                                    }
                                    opened.incrementAndGet();
                                    return;
                                } catch (RuntimeException e) {
                                    if (handshakeStatus(e) == 429) {
                                        refused.incrementAndGet();
                                        return;
                                    }
                                    System.err.println("parallel open failed without a 429, trying again: " + e);
                                }
                            }
                            throw new AssertionError("five handshakes failed without an answer from the server");
                        },
                        pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("250 parallel opens from one address: %d opened, %d refused%n", opened.get(), refused.get());
        assertEquals(200, opened.get());
        assertEquals(50, refused.get());
    }

    /** The HTTP status a refused WebSocket handshake was answered with, or -1 if it got none. */
    private static int handshakeStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.WebSocketHandshakeException h)
                return h.getResponse().statusCode();
        }
        return -1;
    }

    @Test
    void theGatesRefusalsCarryTheSecurityHeaders() {
        server = TallyServer.start(Map.of());
        HttpResponse<String> r =
                Http.post(server.baseUrl() + "/live/poll", "application/json", "{}", "Origin", "https://evil.example");
        assertEquals(403, r.statusCode());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent());
    }

    static void write(OutputStream out, String s) throws java.io.IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
