package io.tally.realtime;

import static io.tally.testing.Frames.batch;
import static io.tally.testing.Frames.parse;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful drain when the container stops the webapp (a redeploy, SIGTERM): every client is told
 * to reconnect at a random moment within the drain window, held polls are answered at once, new
 * work is refused with 503 + Retry-After, and the server is done within the grace.
 */
class DrainIT {
    private static final int WINDOW_MS = 10_000;
    private static final int GRACE_MS = 3_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RawWebSocket> clients = new ArrayList<>();
    private TallyServer server;

    @AfterEach
    void stop() {
        clients.forEach(RawWebSocket::close);
        if (server != null) server.stop();
    }

    private TallyServer start() {
        return TallyServer.start(Map.of(
                        "TALLY_DRAIN_WINDOW_MS",
                        Integer.toString(WINDOW_MS),
                        "TALLY_DRAIN_GRACE_MS",
                        Integer.toString(GRACE_MS),
                        "TALLY_POLL_HOLD_MS",
                        "20000",
                        "TALLY_MAX_CONNECTIONS_PER_ADDRESS",
                        "1000"))
                .withOpenRooms();
    }

    private CompletableFuture<HttpResponse<String>> heldPoll(String room) {
        Position tip = server.realtime().tip(room);
        return CompletableFuture.supplyAsync(() -> Http.post(
                server.baseUrl() + "/live/poll",
                "application/json",
                "{\"rooms\":{\"" + room + "\":" + position(tip.epoch(), tip.offset()) + "}}"));
    }

    private void awaitPollsWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.realtime().status().pollsWaiting() < n && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(n, server.realtime().status().pollsWaiting(), "polls held");
    }

    @Test
    void stoppingTheServerTellsEveryClientToReconnectSpreadOverTheWindowAndFinishesWithinTheGrace() throws Exception {
        server = start();
        int sockets = 200;
        int pollers = 20;
        for (int i = 0; i < sockets; i++) {
            RawWebSocket ws = RawWebSocket.connect(http, server.wsUrl());
            clients.add(ws);
            ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-" + (i % 10) + "\"}");
        }
        for (RawWebSocket ws : clients) ws.nextOfType("ack");
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < pollers; i++) polls.add(heldPoll("game-" + (i % 10)));
        awaitPollsWaiting(pollers);
        assertEquals(sockets, server.realtime().status().webSocketConnections());

        long t0 = System.nanoTime();
        TallyServer stopping = server;
        server = null;
        CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
            stopping.stop();
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        });

        long[] after = new long[sockets + pollers];
        for (int i = 0; i < sockets; i++) {
            // A client does what the protocol asks: it leaves now and comes back after `after` ms.
            RawWebSocket ws = clients.get(i);
            after[i] = (Long) ws.nextOfType("reconnect").get("after");
            ws.close();
        }
        for (int i = 0; i < pollers; i++) {
            HttpResponse<String> r = polls.get(i).get(5, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), "a held poll is answered, not cut");
            List<Map<String, Object>> frames = batch(r.body());
            after[sockets + i] = (Long) frames.get(frames.size() - 1).get("after");
            assertEquals("reconnect", frames.get(frames.size() - 1).get("type"));
        }
        long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long stopMs = stopped.get(GRACE_MS + 10_000, TimeUnit.MILLISECONDS);

        assertTrue(stopMs < GRACE_MS + 2_000, "stopped in " + stopMs + " ms, grace " + GRACE_MS);
        assertTrue(answeredMs < GRACE_MS, "every client told and every poll answered in " + answeredMs + " ms");
        assertSpreadUniformly(after, WINDOW_MS);
    }

    /**
     * The reconnect delays must cover the window evenly, so the fleet does not come back at once:
     * every delay inside the window, the extremes near both ends, and the empirical distribution
     * close to uniform (Kolmogorov–Smirnov distance below 0.15; for 220 uniform samples a larger one
     * has a probability far below 0.1%).
     */
    static void assertSpreadUniformly(long[] delays, int window) {
        long[] d = delays.clone();
        Arrays.sort(d);
        int n = d.length;
        assertTrue(d[0] >= 0 && d[n - 1] < window, "within [0, " + window + "): " + d[0] + ".." + d[n - 1]);
        assertTrue(d[0] < window / 10, "earliest " + d[0]);
        assertTrue(d[n - 1] > window * 9 / 10, "latest " + d[n - 1]);
        double ks = 0;
        for (int i = 0; i < n; i++) {
            double f = (double) d[i] / window;
            ks = Math.max(ks, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        String quantiles = "p10=" + d[n / 10] + " p25=" + d[n / 4] + " p50=" + d[n / 2] + " p75=" + d[3 * n / 4]
                + " p90=" + d[9 * n / 10];
        System.out.println("DrainIT reconnect delays over " + n + " clients: min=" + d[0] + " " + quantiles + " max="
                + d[n - 1] + " KS=" + ks);
        assertTrue(ks < 0.15, "spread like uniform over the window: KS distance " + ks + " (" + quantiles + ")");
    }

    @Test
    void whileDrainingNewConnectionsAndPollsAreRefusedWith503AndRetryAfterAndStragglersAreCutAtTheGrace()
            throws Exception {
        server = start();
        RawWebSocket straggler = RawWebSocket.connect(http, server.wsUrl()); // ignores the reconnect frame
        clients.add(straggler);
        straggler.nextOfType("welcome");

        long t0 = System.nanoTime();
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
            server.realtime().drain(GRACE_MS);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        });
        assertEquals("reconnect", straggler.nextOfType("reconnect").get("type"));

        CompletionException e =
                assertThrows(CompletionException.class, () -> clients.add(RawWebSocket.connect(http, server.wsUrl())));
        HttpResponse<?> refused = ((WebSocketHandshakeException) e.getCause()).getResponse();
        assertEquals(503, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> poll = Http.post(server.baseUrl() + "/live/poll", "application/json", "{\"rooms\":{}}");
        assertEquals(503, poll.statusCode());
        assertEquals("draining", parse(poll.body()).get("code"));
        assertTrue(poll.headers().firstValue("Retry-After").isPresent());
        assertEquals(
                503, Http.get(server.baseUrl() + "/healthz").statusCode(), "the balancer is told to send no one new");

        assertEquals(1001, straggler.awaitClose(), "cut with going-away once the grace is over");
        long ms = drained.get(GRACE_MS + 5_000, TimeUnit.MILLISECONDS);
        assertTrue(
                ms >= GRACE_MS - 100 && ms < GRACE_MS + 1_500,
                "drain waited for the straggler for the grace: " + ms + " ms");
        List<Map<String, Object>> after = straggler.drain(Duration.ofMillis(100));
        assertTrue(after.isEmpty(), "nothing after the close: " + after);
    }
}
