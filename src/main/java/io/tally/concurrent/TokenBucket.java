package io.tally.concurrent;

/**
 * A token bucket: starts full at {@code capacity} tokens, refills at {@code perSecond}, and a request
 * takes one. The one rate limit under the protocol's, the polls' and the API's limits. Not
 * thread-safe: callers synchronize on it.
 */
public final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, double capacity, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes a token if there is one at {@code nowNanos}. */
    public boolean tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) / 1e9 * perSecond);
        last = nowNanos;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    /** Whether the bucket would be full at {@code nowNanos} (nothing taken recently): it can be forgotten. */
    public boolean isFull(long nowNanos) {
        return tokens + (nowNanos - last) / 1e9 * perSecond >= capacity;
    }

    /** After a refused {@link #tryAcquire}: whole seconds until a token is there again, at least 1. */
    public long secondsUntilNext() {
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}
