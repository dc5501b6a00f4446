package io.tally.realtime;

import static io.tally.testing.Frames.batch;
import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.epoch;
import static io.tally.testing.Frames.offset;
import static io.tally.testing.Frames.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client that moves WebSocket → polling → WebSocket while messages flow sees each once, in order. */
class TransportSwitchIT {

    @Test
    void switchingTransportsMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (TallyServer server =
                TallyServer.start(Map.of("TALLY_POLL_HOLD_MS", "2000")).withOpenRooms()) {
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicInteger published = new AtomicInteger();
            Thread publisher = new Thread(() -> {
                while (publishing.get() && published.get() < 5000) {
                    server.realtime().publish("game-1", "{\"n\":" + published.incrementAndGet() + "}");
                    try {
                        Thread.sleep(2); // a steady stream, ~500 messages/s
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Long> seen = new ArrayList<>();
            String epoch;
            String offset;

            try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl())) {
                ws.nextOfType("welcome");
                ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\"}");
                Map<String, Object> ack = ws.nextOfType("ack");
                epoch = epoch(ack);
                offset = offset(ack);
                publisher.start();
                while (seen.size() < 100) {
                    Map<String, Object> m = ws.nextOfType("message");
                    seen.add((Long) data(m).get("n"));
                    offset = offset(m);
                }
            }

            String pollUrl = server.baseUrl() + "/live/poll";
            for (int polls = 0; polls < 5; polls++) {
                List<Map<String, Object>> frames = batch(Http.post(
                                pollUrl, "application/json", "{\"rooms\":{\"game-1\":" + position(epoch, offset) + "}}")
                        .body());
                for (Map<String, Object> m : frames) {
                    seen.add((Long) data(m).get("n"));
                    offset = offset(m);
                }
            }

            try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl())) {
                ws.nextOfType("welcome");
                ws.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"game-1\",\"since\":" + position(epoch, offset)
                        + "}");
                ws.nextOfType("ack");
                int target = seen.size() + 200;
                while (seen.size() < target)
                    seen.add((Long) data(ws.nextOfType("message")).get("n"));
                publishing.set(false);
                publisher.join();
                while (seen.get(seen.size() - 1) < published.get())
                    seen.add((Long) data(ws.nextOfType("message")).get("n"));
                assertTrue(ws.drain(Duration.ofMillis(200)).stream().noneMatch(f -> "message".equals(f.get("type"))));
            }

            assertEquals(published.get(), seen.size(), "every message once");
            for (int i = 0; i < seen.size(); i++) assertEquals(i + 1, seen.get(i), "in order at " + i);
        }
    }
}
