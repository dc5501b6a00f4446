package io.tally.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder that can turn the connections it carries into black holes: bytes are
 * swallowed in both directions and nothing is ever closed — a half-open connection, as a NAT or
 * firewall that forgot a flow leaves behind. New connections are forwarded normally.
 */
public final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private static final class Link {
        volatile boolean blackholed;
        volatile boolean repliesLost;
    }

    /** A command whose bytes contain this goes through, and its connection then goes silent toward the client. */
    private volatile String loseReplyTo;

    /** The next command containing {@code marker} is delivered, its reply (and all after it on that connection) lost. */
    public void loseReplyTo(String marker) {
        loseReplyTo = marker;
    }

    public BlackholeProxy(int upstreamPort) {
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.upstreamPort = upstreamPort;
        this.acceptor = new Thread(this::accept, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every connection open now goes silent for good. */
    public void blackholeExisting() {
        links.forEach(l -> l.blackholed = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2_000);
                sockets.add(client);
                sockets.add(upstream);
                Link link = new Link();
                links.add(link);
                pump(client, upstream, link, false);
                pump(upstream, client, link, true);
            } catch (IOException e) {
                // closed, or upstream down: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to, Link link, boolean replies) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            if (!link.blackholed && !(replies && link.repliesLost)) {
                                out.write(buf, 0, n);
                                out.flush();
                            }
                            String marker = loseReplyTo;
                            if (!replies
                                    && marker != null
                                    && new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                                            .contains(marker)) {
                                loseReplyTo = null;
                                link.repliesLost = true;
                            }
                        }
                        if (!link.blackholed) to.close();
                    } catch (IOException e) {
                        closeQuietly(to);
                    }
                },
                "blackhole-proxy-pump");
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
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(BlackholeProxy::closeQuietly);
    }
}
