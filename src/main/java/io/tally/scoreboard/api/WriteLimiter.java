package io.tally.scoreboard.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address for writes (and token checks, so a token cannot be guessed at
 * speed): {@code burst} requests at once, refilled at {@code perSecond}. Per instance — behind a
 * balancer each instance allows its own share, which is enough to stop a flood.
 */
public final class WriteLimiter {
    private static final int MAX_TRACKED = 100_000;

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public WriteLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Zero if the request may go ahead (and is counted); otherwise the seconds to wait. */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) buckets.entrySet().removeIf(e -> isFull(e.getValue(), now));
        Bucket b = buckets.computeIfAbsent(client, k -> {
            Bucket nb = new Bucket();
            nb.tokens = burst;
            nb.updatedNanos = now;
            return nb;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedNanos) / 1e9 * perSecond);
            b.updatedNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }

    private boolean isFull(Bucket b, long now) {
        synchronized (b) {
            return b.tokens + (now - b.updatedNanos) / 1e9 * perSecond >= burst;
        }
    }
}
