package io.tally.realtime.session;

import io.tally.concurrent.TokenBucket;

/** The protocol's request rate: {@code perSecond} sustained, bursts up to twice that. Not thread-safe. */
final class RateLimiter {
    private final TokenBucket bucket;

    RateLimiter(int perSecond, long nowNanos) {
        this.bucket = new TokenBucket(perSecond, Math.max(1, perSecond * 2.0), nowNanos);
    }

    /** Whether the bucket would be full at {@code nowNanos} (nothing used recently). */
    boolean isFull(long nowNanos) {
        return bucket.isFull(nowNanos);
    }

    boolean tryAcquire(long nowNanos) {
        return bucket.tryAcquire(nowNanos);
    }
}
