package io.tally.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A viewer on {@code /live/ws}, speaking RFC 6455 and the Tally protocol by hand: handshake, wait for
 * {@code welcome}, {@code subscribe} to room {@code game-1} from now, count the {@code ack} as joined,
 * record every {@code message}, answer {@code ping} with {@code pong}.
 */
final class WsViewer extends Viewer {
    private static final byte[] HTTP_101 = ascii("HTTP/1.1 101");
    private static final byte[] CRLFCRLF = ascii("\r\n\r\n");
    private static final byte[] T_MESSAGE = ascii("{\"type\":\"message\"");
    private static final byte[] T_PING = ascii("{\"type\":\"ping\"");
    private static final byte[] T_WELCOME = ascii("{\"type\":\"welcome\"");
    private static final byte[] T_ACK = ascii("{\"type\":\"ack\"");
    private static final byte[] T_RESET = ascii("{\"type\":\"reset\"");
    private static final byte[] T_ERROR = ascii("{\"type\":\"error\"");
    private static final byte[] K_SEQ = ascii("\"seq\":");
    private static final byte[] K_T = ascii("\"t\":");
    private static final byte[] PONG = ascii("{\"type\":\"pong\"}");
    private static final byte[] SUBSCRIBE = ascii("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + BenchInstance.ROOM + "\"}");

    /**
     * The endpoint: /live/ws accepting batches as tally.js does (a JSON array of message frames when
     * several waited at once), or another path such as the measuring prototype's /bare/ws
     * (-Dtally.bench.path; "/live/ws" alone measures one frame per message).
     */
    static final String PATH = System.getProperty("tally.bench.path", "/live/ws?batch=1");

    private boolean upgraded;
    private ByteArrayOutputStream fragments; // a fragmented text message being reassembled (rare)

    WsViewer(EventLoop loop, Viewers shared, int index, InetSocketAddress address) {
        super(loop, shared, index, address);
    }

    @Override
    void connected() throws IOException {
        String key = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(16).putLong(ThreadLocalRandom.current().nextLong()).putLong(index).array());
        send(ascii("GET " + PATH + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Origin: http://" + hostHeader + "\r\n"
                + "\r\n"));
    }

    @Override
    int consume(byte[] a, int from, int to) throws IOException {
        int p = from;
        if (!upgraded) {
            int end = indexOf(a, p, to, CRLFCRLF);
            if (end < 0) return p;
            if (!startsWith(a, p, to, HTTP_101)) {
                String head = new String(a, p, Math.min(end - p, 200), java.nio.charset.StandardCharsets.US_ASCII);
                throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
            }
            upgraded = true;
            p = end + 4;
        }
        double nowMs = Double.NaN;
        long nowNanos = 0;
        while (to - p >= 2) {
            int b0 = a[p] & 0xFF, b1 = a[p + 1] & 0xFF;
            int h = 2;
            long len = b1 & 0x7F;
            if (len == 126) {
                if (to - p < 4) break;
                len = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                h = 4;
            } else if (len == 127) {
                if (to - p < 10) break;
                len = 0;
                for (int i = 2; i < 10; i++) len = (len << 8) | (a[p + i] & 0xFF);
                h = 10;
            }
            if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
            if (len > loop.readBuffer.capacity() / 2) throw new IOException("frame too large: " + len);
            if (to - p < h + len) break;
            int s = p + h, e = (int) (s + len);
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            p = e;
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (opcode == 0x1 && fin && fragments == null) {
                        if (Double.isNaN(nowMs)) {
                            nowMs = Publisher.epochMillis();
                            nowNanos = System.nanoTime();
                        }
                        text(a, s, e, nowMs, nowNanos);
                    } else {
                        if (fragments == null) fragments = new ByteArrayOutputStream();
                        fragments.write(a, s, e - s);
                        if (fin) {
                            byte[] whole = fragments.toByteArray();
                            fragments = null;
                            text(whole, 0, whole.length, Publisher.epochMillis(), System.nanoTime());
                        }
                    }
                }
                case 0x8 -> { // close
                    loop.recorder.serverCloses++;
                    if (!joined) shared.failed("viewer " + index + ": closed by the server before joining");
                    dead = true;
                    closeChannel();
                    return p;
                }
                case 0x9 -> sendFrame(0xA, java.util.Arrays.copyOfRange(a, s, e)); // ping -> pong
                default -> {
                    // pong or binary: not part of the protocol's server side; ignored
                }
            }
        }
        return p;
    }

    private void text(byte[] a, int s, int e, double nowMs, long nowNanos) throws IOException {
        if (startsWith(a, s, e, T_MESSAGE)) {
            if (message(a, s, e, nowMs, nowNanos) < 0) loop.recorder.errors++;
        } else if (s < e && a[s] == '[') { // a batch: message frames in order, each with its seq and t
            int p = s;
            while ((p = indexOf(a, p, e, T_MESSAGE)) >= 0) {
                p = message(a, p, e, nowMs, nowNanos);
                if (p < 0) {
                    loop.recorder.errors++;
                    return;
                }
            }
        } else if (startsWith(a, s, e, T_PING)) {
            sendFrame(0x1, PONG);
        } else if (startsWith(a, s, e, T_WELCOME)) {
            sendFrame(0x1, SUBSCRIBE);
        } else if (startsWith(a, s, e, T_ACK)) {
            markJoined();
        } else if (startsWith(a, s, e, T_RESET)) {
            loop.recorder.resets++;
        } else if (startsWith(a, s, e, T_ERROR)) {
            loop.recorder.errors++;
            if (shared.firstFailure == null) shared.firstFailure = new String(a, s, e - s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Records the message frame starting at {@code s}; returns where its data ends, or -1 if malformed. */
    private int message(byte[] a, int s, int e, double nowMs, long nowNanos) {
        int q = indexOf(a, s, e, K_SEQ);
        int r = q < 0 ? -1 : indexOf(a, q, e, K_T);
        if (q < 0 || r < 0) return -1;
        long seq = (long) parseNumber(a, q + K_SEQ.length, e);
        double t = parseNumber(a, r + K_T.length, e);
        loop.recorder.message(shared, index, seq, t, nowMs, nowNanos);
        return r + K_T.length;
    }

    /** A masked client frame (RFC 6455 §5.3). */
    private void sendFrame(int opcode, byte[] payload) throws IOException {
        int len = payload.length;
        int h = len < 126 ? 2 : 4;
        byte[] f = new byte[h + 4 + len];
        f[0] = (byte) (0x80 | opcode);
        if (len < 126) {
            f[1] = (byte) (0x80 | len);
        } else {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (len >>> 8);
            f[3] = (byte) len;
        }
        int mask = ThreadLocalRandom.current().nextInt();
        for (int i = 0; i < 4; i++) f[h + i] = (byte) (mask >>> (24 - 8 * i));
        for (int i = 0; i < len; i++) f[h + 4 + i] = (byte) (payload[i] ^ f[h + (i & 3)]);
        send(f);
    }

    @Override
    void closedByPeer() {
        if (!dead) {
            loop.recorder.serverCloses++;
            if (!joined) shared.failed("viewer " + index + ": connection closed before joining");
        }
        dead = true;
        closeChannel();
    }
}
