package io.tally.realtime.broker.redis;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: after a Redis outage, a fleet of instances spreads its
 * reconnects over the whole window instead of arriving together.
 */
record Backoff(long baseMillis, long maxMillis) {

    long delayMillis(int failures) {
        long cap = baseMillis << Math.min(failures, 20);
        cap = Math.min(maxMillis, cap);
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }
}
