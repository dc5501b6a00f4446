package io.tally.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay whose connections can die silently: {@link #blackhole} makes every open
 * connection swallow its bytes in both directions for good, without a FIN or RST to either end
 * (a NAT that forgot the flow, a phone that left coverage); while {@link #isDark() dark}, new
 * connections are accepted and swallowed too. Each end only learns from its own timeouts.
 */
final class Relay implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean dark;
    private volatile boolean closed;

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean black;
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

    Relay(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, name + "-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int openLinks() {
        return links.size();
    }

    boolean isDark() {
        return dark;
    }

    /** Every open connection goes silent for good; with {@code darkForNew}, so do new ones until {@link #light()}. */
    int blackhole(boolean darkForNew) {
        if (darkForNew) dark = true;
        int n = 0;
        for (Link l : links) {
            if (!l.black) n++;
            l.black = true;
        }
        return n;
    }

    /** New connections are relayed again (the silent ones stay silent). */
    void light() {
        dark = false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                // The upstream connect may take its full timeout while the target restarts: not on the acceptor.
                Thread t = new Thread(() -> open(client), name + "-open");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void open(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            quietly(client); // target down: the client sees a closed connection, as without the relay
            quietly(upstream);
            return;
        }
        Link link = new Link(client, upstream, dark);
        links.add(link);
        pump(link, client, upstream);
        pump(link, upstream, client);
    }

    private void pump(Link link, Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16 * 1024];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            if (link.black) continue;
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one end closed or reset
                    } finally {
                        link.pumpEnded(to);
                    }
                },
                name + "-pump");
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
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Link l : links) {
            quietly(l.client);
            quietly(l.upstream);
        }
    }
}
