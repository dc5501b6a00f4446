package io.tally.realtime;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.epoch;
import static io.tally.testing.Frames.offset;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RawWebSocket;
import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One step of a rolling restart: two instances share Redis, viewers watch on A while scores are
 * published on both, then A is stopped. Every viewer is told to reconnect, resumes on B from its
 * position, and ends up with every score whose publish was acknowledged — once each, in order.
 */
class RollingDrainIT {
    private static final int VIEWERS = 60;
    private static final String ROOM = "final";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();

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

    private TallyServer server(RedisServer redis, String id) {
        TallyServer s = TallyServer.start(Map.of(
                        "REDIS_URL",
                        redis.url(),
                        "TALLY_INSTANCE_ID",
                        id,
                        "TALLY_DRAIN_WINDOW_MS",
                        "2000",
                        "TALLY_DRAIN_GRACE_MS",
                        "5000",
                        "TALLY_MAX_CONNECTIONS_PER_ADDRESS",
                        "1000"))
                .withOpenRooms();
        toClose.add(s);
        return s;
    }

    /** A raw-protocol viewer that keeps its position and every score it saw. */
    private final class Viewer {
        final List<Long> seen = new ArrayList<>();
        final List<String> trace = new ArrayList<>(); // where each score came from, for a failure message
        String server;
        String epoch;
        String offset;
        RawWebSocket ws;

        void watch(TallyServer server) {
            this.server = server == null ? "?" : server.realtime().config().instanceId();
            trace.add("subscribe@" + this.server + " since " + offset);
            ws = RawWebSocket.connect(http, server.wsUrl());
            toClose.add(ws);
            ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + ROOM + "\""
                    + (epoch == null ? "" : ",\"since\":" + position(epoch, offset)) + "}");
            Map<String, Object> ack = ws.nextOfType("ack");
            epoch = epoch(ack);
            offset = offset(ack);
        }

        /** Reads frames in order until the server says reconnect; returns the delay it gave. */
        long readUntilReconnect() {
            while (true) {
                Map<String, Object> f = ws.next(Duration.ofSeconds(20));
                if ("reconnect".equals(f.get("type"))) return (Long) f.get("after");
                take(f);
            }
        }

        void take(Map<String, Object> f) {
            if (!"message".equals(f.get("type"))) return;
            seen.add((Long) data(f).get("n"));
            trace.add(data(f).get("n") + "@" + server + "/" + offset(f));
            epoch = epoch(f);
            offset = offset(f);
        }

        void readUntil(long last) {
            while (seen.isEmpty() || seen.get(seen.size() - 1) < last) take(ws.next(Duration.ofSeconds(20)));
        }
    }

    @Test
    void viewersOfAStoppedInstanceResumeOnAnotherAndMissNoAcknowledgedScore() throws Exception {
        RedisServer redis = RedisServer.start();
        toClose.add(redis);
        TallyServer a = server(redis, "web-a");
        TallyServer b = server(redis, "web-b");

        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < VIEWERS; i++) {
            Viewer v = new Viewer();
            v.watch(a);
            viewers.add(v);
        }

        // Scores go to both instances, as a scorer behind the load balancer would send them; a
        // publish that fails (A stopping) was not acknowledged and is not expected anywhere.
        List<Long> acknowledged = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            long n = 0;
            while (publishing.get()) {
                n++;
                TallyServer target = n % 2 == 0 ? a : b;
                try {
                    target.realtime().publish(ROOM, "{\"n\":" + n + "}");
                    acknowledged.add(n);
                } catch (RuntimeException notAcknowledged) {
                    // A is shutting down: this score was refused, not lost.
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acknowledged.size() < 50 && System.nanoTime() < deadline) Thread.sleep(10);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(a::stop);
        for (Viewer v : viewers) {
            long after = v.readUntilReconnect();
            assertTrue(after >= 0 && after < 2000, "reconnect within the window: " + after);
            v.ws.close();
            for (Map<String, Object> f : v.ws.drain(Duration.ofMillis(1))) v.take(f);
            v.watch(b); // the test does not wait out `after`: DrainIT measures the spread
        }
        stopping.get(15, TimeUnit.SECONDS);

        Thread.sleep(200); // a few more scores on B alone
        publishing.set(false);
        publisher.get(10, TimeUnit.SECONDS);
        long last = acknowledged.get(acknowledged.size() - 1);
        for (Viewer v : viewers) {
            v.readUntil(last);
            // Subscribed before the first score: every acknowledged score, once, in order.
            assertEquals(acknowledged, v.seen, () -> "viewer's trace: " + v.trace);
        }
    }
}
