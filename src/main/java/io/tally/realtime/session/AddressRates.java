package io.tally.realtime.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address (for polls, which have no connection to hold one). Buckets that
 * refilled completely are forgotten on {@link #sweep}, so only recently active addresses cost memory.
 */
final class AddressRates {
    private final int perSecond;
    private final ConcurrentHashMap<String, RateLimiter> buckets = new ConcurrentHashMap<>();

    AddressRates(int perSecond) {
        this.perSecond = perSecond;
    }

    boolean tryAcquire(String address, long nowNanos) {
        RateLimiter r = buckets.computeIfAbsent(address, a -> new RateLimiter(perSecond, nowNanos));
        synchronized (r) {
            return r.tryAcquire(nowNanos);
        }
    }

    /** Drops the buckets of addresses idle long enough to be full again. */
    void sweep(long nowNanos) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isFull(nowNanos);
            }
        });
    }

    int size() {
        return buckets.size();
    }
}
