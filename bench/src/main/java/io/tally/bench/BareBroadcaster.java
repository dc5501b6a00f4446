package io.tally.bench;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A measuring prototype, not a product: the fan-out floor of a Servlet container when a broadcast
 * is framed ONCE and written to each viewer with non-blocking Servlet I/O (HTTP upgrade +
 * {@link WebConnection}), instead of through JSR-356 {@code sendText} (which UTF-8-encodes per viewer
 * and dispatches every completion to a container thread). It speaks just enough of Tally's protocol for
 * the load tool (welcome, an ack for the first frame received, message frames); client frames are
 * otherwise ignored. Served at {@code /bare/ws} by {@link BenchInstance} {@code --bare}, never in the WAR.
 */
final class BareBroadcaster {
    static final String PATH = "/bare/ws";
    static final Set<Conn> CONNECTIONS = ConcurrentHashMap.newKeySet();
    private static final byte[] WELCOME = frame(
            "{\"type\":\"welcome\",\"v\":1,\"instance\":\"bare\",\"transport\":\"websocket\",\"heartbeat\":25000,\"timeout\":20000}");
    private static final byte[] ACK =
            frame("{\"type\":\"ack\",\"id\":1,\"room\":\"game-1\",\"position\":{\"epoch\":\"bare\",\"offset\":\"0\"}}");
    private static long offset;

    private BareBroadcaster() {}

    /** Frames the message once and writes the same bytes to every viewer. */
    static synchronized void publish(String payload) {
        offset++;
        byte[] f = frame("{\"type\":\"message\",\"room\":\"game-1\",\"position\":{\"epoch\":\"bare\",\"offset\":\""
                + offset + "\"},\"data\":" + payload + "}");
        for (Conn c : CONNECTIONS) c.send(f);
    }

    static byte[] frame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        int h = p.length < 126 ? 2 : 4;
        byte[] f = new byte[h + p.length];
        f[0] = (byte) 0x81;
        if (h == 2) {
            f[1] = (byte) p.length;
        } else {
            f[1] = 126;
            f[2] = (byte) (p.length >>> 8);
            f[3] = (byte) p.length;
        }
        System.arraycopy(p, 0, f, h, p.length);
        return f;
    }

    /** The handshake (RFC 6455 §4.2.2), then the connection is handed to {@link Conn}. */
    static final class Servlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                throws IOException, jakarta.servlet.ServletException {
            String key = req.getHeader("Sec-WebSocket-Key");
            if (key == null || !"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                resp.sendError(400);
                return;
            }
            String accept;
            try {
                accept = Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1")
                                .digest((key.trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            resp.setStatus(101);
            resp.setHeader("Upgrade", "websocket");
            resp.setHeader("Connection", "Upgrade");
            resp.setHeader("Sec-WebSocket-Accept", accept);
            req.upgrade(Conn.class);
        }
    }

    /** One viewer: non-blocking writes with a bounded queue for when the socket is full. */
    public static final class Conn implements HttpUpgradeHandler, ReadListener, WriteListener {
        private ServletInputStream in;
        private ServletOutputStream out;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private final byte[] readBuf = new byte[256];
        private boolean acked;
        private boolean closed;

        public Conn() {}

        @Override
        public void init(WebConnection wc) {
            try {
                in = wc.getInputStream();
                out = wc.getOutputStream();
                queue.add(WELCOME); // written by onWritePossible, which the container calls first
                out.setWriteListener(this);
                in.setReadListener(this);
                CONNECTIONS.add(this);
            } catch (IOException e) {
                closed = true;
            }
        }

        synchronized void send(byte[] f) {
            if (closed) return;
            try {
                if (queue.isEmpty() && out.isReady()) {
                    out.write(f);
                    if (out.isReady()) out.flush();
                } else if (queue.size() < 1000) {
                    queue.add(f);
                } else {
                    close();
                }
            } catch (IOException | IllegalStateException e) {
                close();
            }
        }

        @Override
        public synchronized void onWritePossible() throws IOException {
            while (!queue.isEmpty() && out.isReady()) {
                out.write(queue.poll());
            }
            if (out.isReady()) out.flush();
        }

        @Override
        public synchronized void onDataAvailable() throws IOException {
            while (in.isReady()) {
                int n = in.read(readBuf);
                if (n < 0) {
                    close();
                    return;
                }
                if (n > 0 && !acked) {
                    acked = true; // the first client frame is the subscribe
                    send(ACK);
                }
            }
        }

        @Override
        public void onAllDataRead() {
            close();
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void destroy() {
            close();
        }

        private synchronized void close() {
            closed = true;
            CONNECTIONS.remove(this);
            queue.clear();
        }
    }
}
