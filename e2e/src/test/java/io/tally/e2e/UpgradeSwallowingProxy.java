package io.tally.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP relay in front of a server that passes every request except WebSocket upgrades:
 * those it accepts and never answers, like a proxy that swallows the upgrade. Pages opened through
 * {@link #url()} keep one origin for the page, its polls and its (swallowed) WebSocket, so the
 * app's CSP ({@code connect-src 'self'}) and origin check hold as in production.
 * Browsers open each WebSocket on a connection of its own, so only a connection's first request is
 * inspected; the rest of a keep-alive connection is relayed as it is.
 */
final class UpgradeSwallowingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> swallowed = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    UpgradeSwallowingProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        daemon(this::acceptLoop, "swallowing-proxy-accept");
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Upgrade requests received (and never answered) so far. */
    int upgradesSwallowed() {
        return swallowed.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon(() -> serve(client), "swallowing-proxy-conn");
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            byte[] head = readHead(client.getInputStream());
            if (head == null) return;
            if (isUpgrade(head)) {
                swallowed.add(client); // held open, unanswered, until close()
                return;
            }
            Socket upstream = new Socket();
            upstream.connect(target, 5_000);
            sockets.add(upstream);
            upstream.getOutputStream().write(head);
            daemon(() -> pump(client, upstream), "swallowing-proxy-up");
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Reads up to the end of the first request head; returns it with any body bytes read along. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (seen.size() < 64 * 1024) {
            int n = in.read(buf);
            if (n < 0) return null;
            seen.write(buf, 0, n);
            if (seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) return seen.toByteArray();
        }
        throw new IOException("request head too large");
    }

    private static boolean isUpgrade(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String headers = text.substring(0, text.indexOf("\r\n\r\n"));
        return headers.contains("\nupgrade: websocket") || headers.contains("\nupgrade:websocket");
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : sockets) closeQuietly(s);
    }
}
