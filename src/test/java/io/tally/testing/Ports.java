package io.tally.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports, the one helper every test uses. A port is free when asked and its process
 * binds it a moment later; a test may ask for several before any binds, and the kernel may offer a
 * port it just offered again. So a port is handed out at most once per JVM.
 */
public final class Ports {
    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    private Ports() {}

    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = probe();
            if (handedOut.add(port)) return port;
        }
        throw new IllegalStateException("no loopback port left that was not handed out already");
    }

    private static int probe() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
