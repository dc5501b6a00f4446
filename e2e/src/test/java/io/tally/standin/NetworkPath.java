package io.tally.standin;

import io.tally.testing.TcpRelay;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One viewer's network: a {@link TcpRelay} on its own loopback port in front of the balancer.
 * Pausing it stops every byte in both directions without closing anything, as when a phone loses
 * signal; other viewers and the scorer (on the balancer's own URL) are unaffected. Open the page
 * through {@link #url()} so the browser's origin and its connections all use this path.
 */
public final class NetworkPath implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final TcpRelay relay;

    public NetworkPath(int targetPort) throws IOException {
        this.relay = new TcpRelay("standin-path-" + IDS.incrementAndGet(), targetPort);
    }

    public URI url() {
        return URI.create(relay.url());
    }

    public boolean isPaused() {
        return relay.isPaused();
    }

    /** Nothing moves until {@link #resume()}; open connections stay open. */
    public void pause() {
        relay.pause(true);
    }

    public void resume() {
        relay.pause(false);
    }

    /** Drops every open connection at once (the network changed: Wi-Fi to mobile). */
    public void cut() {
        relay.cut();
    }

    @Override
    public void close() {
        relay.close();
    }
}
