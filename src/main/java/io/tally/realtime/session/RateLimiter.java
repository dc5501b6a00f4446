package io.tally.realtime.session;

/** A token bucket: {@code perSecond} sustained, bursts up to twice that. Not thread-safe. */
final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond * 2.0);
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Whether the bucket would be full at {@code nowNanos} (nothing used recently). */
    boolean isFull(long nowNanos) {
        return tokens + (nowNanos - last) * perNano >= capacity;
    }

    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
