package io.tally.bench;

import io.tally.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A viewer on {@code /live/ws}, speaking RFC 6455 (and RFC 7692 permessage-deflate when the server
 * accepts the offer) and the Tally protocol by hand: handshake, wait for {@code welcome},
 * {@code subscribe}, count the {@code ack} as joined, record every {@code message}, answer
 * {@code ping} with {@code pong}.
 * <p>
 * Fan-out scenario: subscribes to {@code game-1} from now and reads {@code seq} and {@code t} of the
 * publisher's payload. Scoreboard scenario ({@link ScoreboardGame}): first loads the game's snapshot
 * with {@code GET /api/games/{id}} on the same keep-alive connection, then upgrades and subscribes
 * to {@code game-{id}} from the snapshot's position; a message's sequence number is the game's
 * version (the highest {@code "version":} in the message, true of both the full-game and the
 * event-plus-summary formats) minus the version before scoring began, its send time the scorer's.
 */
final class WsViewer extends Viewer {
    /** Exactly what Chromium, WebKit and Firefox send. */
    static final String BROWSER_EXTENSIONS = "permessage-deflate; client_max_window_bits";

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
    private static final byte[] K_VERSION = ascii("\"version\":");
    private static final byte[] PONG = ascii("{\"type\":\"pong\"}");
    private static final byte[] SUBSCRIBE =
            ascii("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + BenchInstance.ROOM + "\"}");
    private static final byte[] INFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /**
     * The endpoint: /live/ws accepting batches as tally.js does (a JSON array of message frames when
     * several waited at once), or another path such as the measuring prototype's /bare/ws
     * (-Dtally.bench.path; "/live/ws" alone measures one frame per message).
     */
    static final String PATH = System.getProperty("tally.bench.path", "/live/ws?batch=1");

    private final boolean offerDeflate;
    private final ScoreboardGame game;
    private boolean snapshotLoaded;
    private byte[] subscribe = SUBSCRIBE;
    private boolean upgraded;
    private Inflater inflater; // non-null once the server accepted permessage-deflate
    private boolean resetInflaterPerMessage;
    private ByteArrayOutputStream fragments; // a fragmented message being reassembled (rare)
    private boolean fragmentsCompressed;

    WsViewer(
            EventLoop loop,
            Viewers shared,
            int index,
            InetSocketAddress address,
            boolean offerDeflate,
            ScoreboardGame game) {
        super(loop, shared, index, address);
        this.offerDeflate = offerDeflate;
        this.game = game;
    }

    @Override
    void connected() throws IOException {
        upgraded = false;
        snapshotLoaded = false;
        if (game != null) {
            send(ascii("GET /api/games/" + game.id() + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader + "\r\n"
                    + "Accept: application/json\r\n"
                    + "\r\n"));
        } else {
            upgrade();
        }
    }

    private void upgrade() throws IOException {
        String key = java.util.Base64.getEncoder()
                .encodeToString(java.nio.ByteBuffer.allocate(16)
                        .putLong(ThreadLocalRandom.current().nextLong())
                        .putLong(index)
                        .array());
        send(ascii("GET " + PATH + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (offerDeflate ? "Sec-WebSocket-Extensions: " + BROWSER_EXTENSIONS + "\r\n" : "")
                + "Origin: http://" + hostHeader + "\r\n"
                + "\r\n"));
    }

    @Override
    int consume(byte[] a, int from, int to) throws IOException {
        int p = from;
        if (game != null && !snapshotLoaded) {
            p = snapshot(a, p, to);
            if (!snapshotLoaded) return p;
        }
        if (!upgraded) {
            int end = indexOf(a, p, to, CRLFCRLF);
            if (end < 0) return p;
            if (!startsWith(a, p, to, HTTP_101)) {
                String head = new String(a, p, Math.min(end - p, 200), StandardCharsets.US_ASCII);
                throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
            }
            negotiated(header(new String(a, p, end - p, StandardCharsets.ISO_8859_1), "sec-websocket-extensions"));
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
            boolean rsv1 = (b0 & 0x40) != 0;
            if (rsv1 && inflater == null) throw new IOException("compressed frame without permessage-deflate");
            p = e;
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (Double.isNaN(nowMs)) {
                        nowMs = Publisher.epochMillis();
                        nowNanos = System.nanoTime();
                    }
                    if (opcode == 0x1 && fin && fragments == null) {
                        message(a, s, e, rsv1, nowMs, nowNanos);
                    } else {
                        if (fragments == null) {
                            fragments = new ByteArrayOutputStream();
                            fragmentsCompressed = rsv1;
                        }
                        fragments.write(a, s, e - s);
                        if (fin) {
                            byte[] whole = fragments.toByteArray();
                            fragments = null;
                            message(whole, 0, whole.length, fragmentsCompressed, nowMs, nowNanos);
                        }
                    }
                }
                case 0x8 -> { // close
                    loop.recorder.serverCloses++;
                    if (!joined)
                        shared.failed("viewer " + index + ": closed by the server before joining: "
                                + new String(a, Math.min(s + 2, e), Math.max(0, e - s - 2), StandardCharsets.UTF_8));
                    dead = true;
                    end();
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

    /** Reads the snapshot answer (Content-Length framed, keep-alive), then asks for the upgrade. */
    private int snapshot(byte[] a, int from, int to) throws IOException {
        int headEnd = indexOf(a, from, to, CRLFCRLF);
        if (headEnd < 0) return from;
        String head = new String(a, from, headEnd - from, StandardCharsets.ISO_8859_1);
        String cl = header(head, "content-length");
        if (cl == null)
            throw new IOException("snapshot without Content-Length: "
                    + head.lines().findFirst().orElse(""));
        int bodyStart = headEnd + 4, length = Integer.parseInt(cl.trim());
        if (to - bodyStart < length) return from;
        if (!head.startsWith("HTTP/1.1 200"))
            throw new IOException("snapshot: " + head.lines().findFirst().orElse(""));
        Map<String, Object> body = Json.parseObject(new String(a, bodyStart, length, StandardCharsets.UTF_8), 16);
        @SuppressWarnings("unchecked")
        Map<String, Object> position = (Map<String, Object>) body.get("position");
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) body.get("game");
        long version = ((Number) g.get("version")).longValue();
        if (version != game.baseVersion()) {
            throw new IOException(
                    "snapshot at version " + version + ", expected " + game.baseVersion() + " (scoring began early?)");
        }
        subscribe = ascii("{\"type\":\"subscribe\",\"id\":1,\"room\":\"" + game.room() + "\",\"since\":{\"epoch\":\""
                + position.get("epoch") + "\",\"offset\":\"" + position.get("offset") + "\"}}");
        snapshotLoaded = true;
        loop.recorder.snapshotBytes += length;
        upgrade();
        return bodyStart + length;
    }

    private void negotiated(String extensions) {
        shared.extension(extensions == null ? "none" : extensions.trim());
        if (extensions == null || !extensions.toLowerCase(Locale.ROOT).contains("permessage-deflate")) return;
        // Raw deflate; the window the server may use (server_max_window_bits) never exceeds 15, which
        // an Inflater always accepts. Without context takeover the server starts each message afresh.
        inflater = new Inflater(true);
        resetInflaterPerMessage = extensions.toLowerCase(Locale.ROOT).contains("server_no_context_takeover");
    }

    private void message(byte[] a, int s, int e, boolean compressed, double nowMs, long nowNanos) throws IOException {
        if (compressed) {
            byte[] out = inflate(a, s, e);
            text(out, 0, loop.inflatedLength, nowMs, nowNanos);
        } else {
            text(a, s, e, nowMs, nowNanos);
        }
    }

    /** Inflates one message into the loop's scratch buffer ({@link EventLoop#inflatedLength} bytes). */
    private byte[] inflate(byte[] a, int s, int e) throws IOException {
        try {
            byte[] out = loop.inflateBuffer;
            int n = 0;
            inflater.setInput(a, s, e - s);
            n = drain(n);
            inflater.setInput(INFLATE_TAIL);
            n = drain(n);
            if (resetInflaterPerMessage) inflater.reset();
            loop.inflatedLength = n;
            return loop.inflateBuffer;
        } catch (DataFormatException ex) {
            throw new IOException("bad deflate data: " + ex.getMessage());
        }
    }

    private int drain(int n) throws DataFormatException {
        while (true) {
            if (n == loop.inflateBuffer.length) loop.inflateBuffer = java.util.Arrays.copyOf(loop.inflateBuffer, n * 2);
            int k = inflater.inflate(loop.inflateBuffer, n, loop.inflateBuffer.length - n);
            n += k;
            if (k == 0 && (inflater.needsInput() || inflater.finished())) return n;
        }
    }

    private void text(byte[] a, int s, int e, double nowMs, long nowNanos) throws IOException {
        if (startsWith(a, s, e, T_MESSAGE)) {
            loop.recorder.payloadBytes += e - s;
            if (record(a, s, e, nowMs, nowNanos) < 0) loop.recorder.errors++;
        } else if (s < e && a[s] == '[') { // a batch: message frames in order
            loop.recorder.payloadBytes += e - s;
            int p = indexOf(a, s, e, T_MESSAGE);
            while (p >= 0) {
                int next = indexOf(a, p + T_MESSAGE.length, e, T_MESSAGE);
                if (record(a, p, next < 0 ? e : next, nowMs, nowNanos) < 0) {
                    loop.recorder.errors++;
                    return;
                }
                p = next;
            }
        } else if (startsWith(a, s, e, T_PING)) {
            sendFrame(0x1, PONG);
        } else if (startsWith(a, s, e, T_WELCOME)) {
            sendFrame(0x1, subscribe);
        } else if (startsWith(a, s, e, T_ACK)) {
            markJoined();
        } else if (startsWith(a, s, e, T_RESET)) {
            loop.recorder.resets++;
        } else if (startsWith(a, s, e, T_ERROR)) {
            loop.recorder.errors++;
            if (shared.firstFailure == null) shared.firstFailure = new String(a, s, e - s, StandardCharsets.UTF_8);
        }
    }

    /** Records the message frame in {@code a[s, e)}; returns a non-negative value, or -1 if malformed. */
    private int record(byte[] a, int s, int e, double nowMs, long nowNanos) {
        if (game != null) {
            long version = gameVersion(a, s, e);
            long seq = version - game.baseVersion();
            double t = game.sentAt(seq);
            if (version < 0 || Double.isNaN(t)) return -1;
            loop.recorder.message(shared, index, seq, t, nowMs, nowNanos);
            return 0;
        }
        int q = indexOf(a, s, e, K_SEQ);
        int r = q < 0 ? -1 : indexOf(a, q, e, K_T);
        if (q < 0 || r < 0) return -1;
        long seq = (long) parseNumber(a, q + K_SEQ.length, e);
        double t = parseNumber(a, r + K_T.length, e);
        loop.recorder.message(shared, index, seq, t, nowMs, nowNanos);
        return 0;
    }

    /**
     * The game version a live message brings: the highest {@code "version":} in it, which is the
     * game's (log entries and the event carry versions up to the game's own), or -1.
     */
    static long gameVersion(byte[] a, int s, int e) {
        long version = -1;
        int q = s;
        while ((q = indexOf(a, q, e, K_VERSION)) >= 0) {
            q += K_VERSION.length;
            version = Math.max(version, (long) parseNumber(a, q, e));
        }
        return version;
    }

    /** A masked client frame (RFC 6455 §5.3), never compressed (RFC 7692 allows either per message). */
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

    /** The value of header {@code name} (lower case) in an HTTP head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name))
                return line.substring(colon + 1).trim();
        }
        return null;
    }

    private void end() {
        closeChannel();
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    @Override
    void closedByPeer() {
        if (!dead) {
            loop.recorder.serverCloses++;
            if (!joined) shared.failed("viewer " + index + ": connection closed before joining");
        }
        dead = true;
        end();
    }
}
