package io.tally.realtime.transport.websocket;

/**
 * Bounds how long the fan-out may spend blocked in inline sends. A write that blocks means that
 * viewer's socket buffer is full (a paused or vanished peer); each such peer costs the fan-out at
 * most one send timeout before it is closed. Should many do so in a short time (an attack, or a
 * network hiccup), inline sends stop for a while and every viewer is served by asynchronous sends,
 * which never block the fan-out.
 */
final class StallGuard {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StallGuard.class.getName());
    /**
     * A write slower than this counts as a stall. A write that finds room in the socket buffer takes
     * microseconds; one that does not waits for the peer (a round trip at least, the send timeout at
     * most). Well above what a busy machine's scheduling adds to a quick write.
     */
    static final long SLOW_NANOS = 100_000_000L;

    private static final long WINDOW_NANOS = 10_000_000_000L;
    private static final long BUDGET_NANOS = 500_000_000L;
    private static final long COOL_DOWN_NANOS = 60_000_000_000L;

    private long windowStart = System.nanoTime(); // guarded by this
    private long spent; // stalled nanos within the window; guarded by this
    private volatile long inlineFrom = System.nanoTime() - 1; // inline sends are off until then

    boolean allowsInline(long now) {
        return now - inlineFrom >= 0;
    }

    /** Records an inline write that took {@code nanos}; true if it was a stall. */
    boolean record(long nanos, long now) {
        if (nanos < SLOW_NANOS) return false;
        synchronized (this) {
            if (now - windowStart > WINDOW_NANOS) {
                windowStart = now;
                spent = 0;
            }
            spent += nanos;
            if (spent > BUDGET_NANOS) {
                inlineFrom = now + COOL_DOWN_NANOS;
                LOG.warning("viewers' full sockets blocked the fan-out for " + spent / 1_000_000 + " ms within "
                        + WINDOW_NANOS / 1_000_000_000
                        + " s: live frames are queued for asynchronous sends for the next "
                        + COOL_DOWN_NANOS / 1_000_000_000 + " s");
                spent = 0;
            }
        }
        return true;
    }
}
