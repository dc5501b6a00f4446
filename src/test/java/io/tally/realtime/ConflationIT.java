package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.testing.RawHandshake;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Keep-latest over real sockets on Tomcat: a throttled viewer (a raw client reading 64 KiB a second
 * through a 4 KiB receive buffer, the server's send buffer 64 KiB) among fast ones in a conflatable room. The fast viewer gets every
 * message; the throttled one stays connected, receives far fewer frames, and ends on the latest state.
 */
class ConflationIT {
    private static final String PAD = "x".repeat(4_000);

    @Test
    void aThrottledViewerEndsOnTheLatestStateAndStaysConnectedWhileAFastOneGetsEverything() throws Exception {
        Map<String, String> settings =
                Map.of("TALLY_SEND_QUEUE_LIMIT", "200"); // backed up past 50; without conflation closed at 200
        try (TallyServer server = TallyServer.start(
                        "127.0.0.1", 0, settings, Map.of("socket.txBufSize", "65536"), c -> {})
                .withOpenRooms()) {
            server.realtime().conflate(room -> room.startsWith("score-"), Conflation.LATEST);
            String room = "score-1";
            server.realtime().publish(room, "{\"n\":0}");
            try (RawWebSocket fast = RawWebSocket.connect(server.wsUrl())) {
                fast.nextOfType("welcome");
                fast.send("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"conflate\":true}");
                fast.nextOfType("ack");
                ThrottledReader slow = new ThrottledReader(server.wsUrl(), room, 64 * 1024);
                try {
                    slow.awaitAck();
                    int total = 600;
                    long start = System.nanoTime();
                    for (int n = 1; n <= total; n++) {
                        server.realtime().publish(room, "{\"n\":" + n + ",\"pad\":\"" + PAD + "\"}");
                        if (n % 30 == 0) Thread.sleep(100); // ~300 messages (1.2 MB) a second, paced
                    }
                    // The fast viewer: every message, in order.
                    int next = 1;
                    while (next <= total) {
                        Map<String, Object> f = fast.nextOfType("message");
                        assertEquals((long) next, ((Map<?, ?>) f.get("data")).get("n"));
                        next++;
                    }
                    long fastMillis = (System.nanoTime() - start) / 1_000_000;
                    // The throttled one: it ends on the latest state, still connected.
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (slow.lastN.get() != total && System.nanoTime() < deadline) Thread.sleep(20);
                    long slowMillis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(total, slow.lastN.get(), "the throttled viewer shows the latest state");
                    assertFalse(slow.closed, "not disconnected");
                    assertTrue(slow.conflated.get() >= 1, "it was told it was conflated");
                    assertTrue(
                            slow.messages.get() < total / 2,
                            "it got " + slow.messages.get() + " frames for " + total + " messages");
                    assertTrue(slow.ordered, "positions only moved forward");
                    System.out.println("ConflationIT: fast viewer got all " + total + " messages in " + fastMillis
                            + " ms; throttled viewer (64 KiB/s) got " + slow.messages.get() + " frames ("
                            + slow.conflated.get()
                            + " conflated, " + slow.bytes.get() / 1024 + " KiB) and showed the latest after "
                            + slowMillis
                            + " ms; server conflated "
                            + server.realtime().metrics().conflated());
                } finally {
                    slow.close();
                }
            }
        }
    }

    /** A raw WebSocket client that reads at most {@code bytesPerSecond} and parses the server's text frames. */
    private static final class ThrottledReader implements AutoCloseable {
        final AtomicLong lastN = new AtomicLong(-1);
        final AtomicLong messages = new AtomicLong();
        final AtomicLong conflated = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final List<String> others = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean ordered = true;
        volatile boolean acked;
        private final Socket socket;
        private final Thread thread;

        ThrottledReader(String wsUrl, String room, int bytesPerSecond) throws IOException {
            RawHandshake h = RawHandshake.open(wsUrl, "", 4096);
            if (!h.upgraded()) throw new IOException("no upgrade");
            h.sendText("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"conflate\":true}");
            socket = h.socket();
            InputStream raw = socket.getInputStream();
            InputStream throttled = new InputStream() {
                long windowStart = System.nanoTime();
                long inWindow;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    long now = System.nanoTime();
                    if (now - windowStart >= 100_000_000L) {
                        windowStart = now;
                        inWindow = 0;
                    }
                    long budget = bytesPerSecond / 10 - inWindow;
                    if (budget <= 0) {
                        try {
                            Thread.sleep(Math.max(1, (100_000_000L - (now - windowStart)) / 1_000_000));
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return read(b, off, len);
                    }
                    int n = raw.read(b, off, (int) Math.min(len, budget));
                    if (n > 0) inWindow += n;
                    return n;
                }
            };
            thread = new Thread(() -> run(new DataInputStream(throttled)), "throttled-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(DataInputStream in) {
            String previous = null;
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7f;
                    if (len == 126) len = in.readUnsignedShort();
                    else if (len == 127) len = in.readLong();
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    bytes.addAndGet(len + 2);
                    int opcode = b0 & 0x0f;
                    if (opcode == 8) {
                        closed = true;
                        return;
                    }
                    if (opcode != 1) continue;
                    Map<?, ?> f = (Map<?, ?>) Json.parse(new String(payload, StandardCharsets.UTF_8));
                    if ("ack".equals(f.get("type"))) acked = true;
                    if (!"message".equals(f.get("type"))) {
                        others.add(String.valueOf(f.get("type")));
                        continue;
                    }
                    messages.incrementAndGet();
                    if (Boolean.TRUE.equals(f.get("conflated"))) conflated.incrementAndGet();
                    String offset = (String) ((Map<?, ?>) f.get("position")).get("offset");
                    if (previous != null && Long.parseLong(offset) <= Long.parseLong(previous)) ordered = false;
                    previous = offset;
                    lastN.set((Long) ((Map<?, ?>) f.get("data")).get("n"));
                }
            } catch (IOException e) {
                closed = !socket.isClosed();
            }
        }

        void awaitAck() throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!acked && System.nanoTime() < deadline) Thread.sleep(10);
            if (!acked) throw new AssertionError("no ack");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
