package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of one port, whose connections can be broken the ways networks
 * break them:
 * <ul>
 *   <li>{@link #blackhole}: every open connection swallows its bytes in both directions for good,
 *       with no FIN or RST to either end (a NAT that forgot the flow, a phone out of coverage);
 *       optionally new connections too, until {@link #light()};</li>
 *   <li>{@link #loseReplyTo}: the next request containing a marker goes through, and everything
 *       its connection sends back from then on is lost (a reply lost after the command ran);</li>
 *   <li>{@link #pause}: nothing moves in either direction, not even a close, and new connections
 *       go nowhere, until resumed; then everything held is delivered (a phone without signal: a
 *       stall, not a loss); {@link #cut()} drops every open connection (Wi-Fi to mobile);</li>
 *   <li>{@link #swallowingUpgrades()}: a connection whose first request is a WebSocket upgrade is
 *       held open and never answered (a proxy that does not pass WebSockets); others are relayed.</li>
 * </ul>
 * Each end only learns from its own timeouts. Everything stops with {@link #close()}.
 */
public final class TcpRelay implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Socket> swallowed = ConcurrentHashMap.newKeySet();
    private final Object pauseLock = new Object();
    private volatile boolean swallowUpgrades;
    private volatile boolean dark;
    private volatile boolean paused;
    private volatile String loseReplyTo;
    private volatile boolean closed;

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean black;
        volatile boolean repliesLost;
        final AtomicInteger pumps = new AtomicInteger(2);

        Link(Socket client, Socket upstream, boolean black) {
            this.client = client;
            this.upstream = upstream;
            this.black = black;
        }

        /** A live link closes both ends when one does; a black one waits until both pumps ended, then frees the sockets. */
        void pumpEnded(Socket to) {
            if (!black) quietly(to);
            if (pumps.decrementAndGet() == 0 || !black) {
                quietly(client);
                quietly(upstream);
                links.remove(this);
            }
        }
    }

    public TcpRelay(String name, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        daemon(this::accept, name + "-accept");
    }

    /** From now on, WebSocket upgrade requests are held open and never answered. */
    public TcpRelay swallowingUpgrades() {
        swallowUpgrades = true;
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int openLinks() {
        return links.size();
    }

    /** Upgrade requests received (and never answered) so far. */
    public int upgradesSwallowed() {
        return swallowed.size();
    }

    public boolean isDark() {
        return dark;
    }

    /** Every open connection goes silent for good; with {@code darkForNew}, so do new ones until {@link #light()}. Returns how many went silent. */
    public int blackhole(boolean darkForNew) {
        if (darkForNew) dark = true;
        int n = 0;
        for (Link l : links) {
            if (!l.black) n++;
            l.black = true;
        }
        return n;
    }

    /** New connections are relayed again (the silent ones stay silent). */
    public void light() {
        dark = false;
    }

    /** The next request containing {@code marker} is delivered; its reply, and all after it on that connection, lost. */
    public void loseReplyTo(String marker) {
        loseReplyTo = marker;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Drops every open connection at once, closing both ends. */
    public void cut() {
        for (Link l : links) {
            l.black = false;
            quietly(l.client);
            quietly(l.upstream);
        }
    }

    /** While paused, bytes are held in both directions (not dropped); they flow again once resumed. */
    public void pause(boolean on) {
        synchronized (pauseLock) {
            paused = on;
            pauseLock.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                // The upstream connect may take its full timeout while the target restarts: not on the acceptor.
                daemon(() -> open(client), name + "-open");
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void open(Socket client) {
        byte[] head = new byte[0];
        Socket upstream = new Socket();
        try {
            if (swallowUpgrades) {
                head = readHead(client.getInputStream());
                if (head == null) {
                    quietly(client);
                    return;
                }
                if (isUpgrade(head)) {
                    swallowed.add(client); // held open, unanswered, until close()
                    return;
                }
            }
            awaitResumed(); // a connection made during a pause goes nowhere until it ends
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.getOutputStream().write(head);
        } catch (IOException e) {
            quietly(client); // target down: the client sees a closed connection, as without the relay
            quietly(upstream);
            return;
        }
        Link link = new Link(client, upstream, dark);
        links.add(link);
        daemon(() -> pump(link, client, upstream, false), name + "-pump");
        daemon(() -> pump(link, upstream, client, true), name + "-pump");
    }

    private void pump(Link link, Socket from, Socket to, boolean replies) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                awaitResumed();
                int n = in.read(buf);
                if (n < 0) break;
                awaitResumed(); // read before the pause began: held until it ends
                if (link.black || (replies && link.repliesLost)) continue;
                out.write(buf, 0, n);
                out.flush();
                String marker = loseReplyTo;
                if (!replies && marker != null && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker)) {
                    loseReplyTo = null;
                    link.repliesLost = true;
                }
            }
        } catch (IOException e) {
            // one end closed or reset
        } finally {
            link.pumpEnded(to);
        }
    }

    private void awaitResumed() throws IOException {
        synchronized (pauseLock) {
            while (paused && !closed) {
                try {
                    pauseLock.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while paused", e);
                }
            }
        }
    }

    /** Reads up to the end of the first request head; returns it with any body bytes read along (null: closed first). */
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

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        pause(false);
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Link l : links) {
            quietly(l.client);
            quietly(l.upstream);
        }
        swallowed.forEach(TcpRelay::quietly);
    }
}
