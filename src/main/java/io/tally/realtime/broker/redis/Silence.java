package io.tally.realtime.broker.redis;

import java.util.concurrent.TimeUnit;

/**
 * How long a subscriber connection has been silent. Heartbeats on its control channel keep a healthy
 * one talking, so long silence means a dead connection; while a handler runs the connection is not
 * being read, so that time does not count (a long back-fill must not look like a dead connection).
 */
final class Silence {
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean busy;

    /** The connection said something (a message, a reply, or it was just opened). */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Runs a handler on the reading thread; the silence clock restarts when it returns. */
    void busy(Runnable handler) {
        busy = true;
        try {
            handler.run();
        } finally {
            lastHeardNanos = System.nanoTime();
            busy = false;
        }
    }

    long millis() {
        return busy ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
    }
}
