package io.tally.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One viewer's network: a TCP relay on its own loopback port in front of the balancer. Pausing it
 * stops every byte in both directions without closing anything, as when a phone loses signal;
 * other viewers and the scorer (on the balancer's own URL) are unaffected. Open the page through
 * {@link #url()} so the browser's origin and its connections all use this path.
 */
public final class NetworkPath implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final String name = "standin-path-" + IDS.incrementAndGet();
    private volatile boolean paused;
    private volatile boolean closed;

    public NetworkPath(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public boolean isPaused() {
        return paused;
    }

    /** Nothing moves until {@link #resume()}; open connections stay open. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** Drops every open connection at once (the network changed: Wi-Fi to mobile). */
    public void cut() {
        for (Socket s : sockets) closeQuietly(s);
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(server);
        cut();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                awaitOpen(); // a connection made during the outage goes nowhere until it ends
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, "up");
                pump(upstream, client, "down");
            } catch (IOException e) {
                if (closed) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while (true) {
                            awaitOpen();
                            n = in.read(buf);
                            if (n < 0) break;
                            awaitOpen(); // read before the pause began: hold it until the network is back
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // either side closed: close both below
                    } finally {
                        sockets.remove(from);
                        sockets.remove(to);
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                name + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (paused && !closed) gate.wait();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
