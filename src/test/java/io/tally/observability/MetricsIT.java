package io.tally.observability;

import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} on a real server: what it counts, its format, and who may read it. */
class MetricsIT {
    private static final String TOKEN = "metrics-token-0123456789";
    private TallyServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    @Test
    void metricsCountConnectionsByTransportMessagesFramesFanOutAndRefusals() throws Exception {
        server = TallyServer.start(Map.of("TALLY_INSTANCE_ID", "web-metrics", "TALLY_POLL_HOLD_MS", "20000"))
                .withOpenRooms();
        try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl())) {
            ws.nextOfType("welcome");
            ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
            ws.nextOfType("ack");
            for (int i = 1; i <= 3; i++) server.realtime().publish("game-1", "{\"n\":" + i + "}");
            for (int i = 1; i <= 3; i++) ws.nextOfType("message");
            ws.send("{nope");
            ws.nextOfType("error");
            Position tip = server.realtime().tip("quiet");
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> Http.post(
                    server.baseUrl() + "/live/poll",
                    "application/json",
                    "{\"rooms\":{\"quiet\":" + position(tip.epoch(), tip.offset()) + "}}"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.realtime().status().pollsWaiting() == 0 && System.nanoTime() < deadline) Thread.sleep(5);

            HttpResponse<String> r = Http.get(server.baseUrl() + "/metrics");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(
                    "text/plain;version=0.0.4;charset=utf-8",
                    r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .toLowerCase()
                            .replace(" ", ""),
                    "Prometheus text format 0.0.4");
            Exposition m = new Exposition(r.body());
            assertEquals(1, m.get("tally_info{broker=\"memory\",instance=\"web-metrics\"}"), "instance labelled");
            assertEquals(1, m.get("tally_connections{transport=\"websocket\"}"));
            assertEquals(1, m.get("tally_connections{transport=\"polling\"}"));
            assertEquals(3, m.get("tally_messages_published_total"));
            assertEquals(3, m.get("tally_messages_delivered_total"));
            assertTrue(m.get("tally_frames_received_total") >= 2);
            assertTrue(m.get("tally_frames_sent_total") >= 6, "welcome, ack, 3 messages, error");
            // One observation per batch: the three messages may have left together.
            double fanouts = m.get("tally_fanout_seconds_count");
            assertTrue(fanouts >= 1 && fanouts <= 3, "fan-outs: " + fanouts);
            assertEquals(fanouts, m.get("tally_fanout_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(m.get("tally_fanout_seconds_bucket{le=\"2.5\"}") <= fanouts);
            assertEquals(1, m.get("tally_rejected_total{reason=\"bad-json\"}"));
            assertEquals(0, m.get("tally_rejected_total{reason=\"over-capacity\"}"), "known reasons are there at zero");
            assertEquals(1, m.get("tally_broker_up"));
            assertEquals(0, m.get("tally_draining"));
            assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
            assertTrue(m.get("jvm_threads_current") > 0);
            assertTrue(m.get("process_start_time_seconds") > 0);
            if (Files.isDirectory(Path.of("/proc/self/fd"))) assertTrue(m.get("process_open_fds") > 0);

            server.realtime().publish("quiet", "{\"wake\":true}");
            assertEquals(200, held.get().statusCode());
        }
    }

    @Test
    void withoutATokenMetricsAreReadableOnlyByALocalUnproxiedRequest() {
        server = TallyServer.start(Map.of());
        String url = server.baseUrl() + "/metrics";
        assertEquals(200, Http.get(url).statusCode());
        HttpResponse<String> proxied = Http.get(url, "X-Forwarded-For", "203.0.113.9");
        assertEquals(403, proxied.statusCode(), "a request nginx forwarded arrives from loopback too");
        assertEquals(403, Http.get(url, "X-Real-IP", "203.0.113.9").statusCode());
        assertTrue(!proxied.body().contains("tally_"), "nothing leaks in the refusal");
    }

    @Test
    void withATokenOnlyTheBearerOfItMayReadMetrics() {
        server = TallyServer.start(Map.of("TALLY_METRICS_TOKEN", TOKEN));
        String url = server.baseUrl() + "/metrics";
        HttpResponse<String> none = Http.get(url);
        assertEquals(401, none.statusCode());
        assertEquals(
                "Bearer realm=\"tally-metrics\"",
                none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(
                401,
                Http.get(url, "Authorization", "Bearer wrong-token-0123456789").statusCode());
        HttpResponse<String> ok = Http.get(url, "Authorization", "Bearer " + TOKEN, "X-Forwarded-For", "203.0.113.9");
        assertEquals(200, ok.statusCode());
        assertTrue(new Exposition(ok.body()).has("tally_connections{transport=\"websocket\"}"));
        assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(""));
    }
}
