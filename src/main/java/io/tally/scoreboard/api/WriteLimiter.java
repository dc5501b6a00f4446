package io.tally.scoreboard.api;

import io.tally.concurrent.TokenBucket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address for writes (and token checks, so a token cannot be guessed at
 * speed): {@code burst} requests at once, refilled at {@code perSecond}. Per instance — behind a
 * balancer each instance allows its own share, which is enough to stop a flood.
 */
public final class WriteLimiter {
    private static final int MAX_TRACKED = 100_000;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public WriteLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Zero if the request may go ahead (and is counted); otherwise the seconds to wait. */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED) buckets.entrySet().removeIf(e -> isFull(e.getValue(), now));
        TokenBucket b = buckets.computeIfAbsent(client, k -> new TokenBucket(perSecond, burst, now));
        synchronized (b) {
            return b.tryAcquire(now) ? 0 : b.secondsUntilNext();
        }
    }

    private static boolean isFull(TokenBucket b, long now) {
        synchronized (b) {
            return b.isFull(now);
        }
    }
}
