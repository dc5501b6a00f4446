package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(100, 5_000);

    @Test
    void delaysGrowExponentiallyWithJitterUpToTheCap() {
        for (int failures = 0; failures < 40; failures++) {
            long cap = Math.min(5_000, 100L << Math.min(failures, 20));
            for (int i = 0; i < 50; i++) {
                long d = backoff.delayMillis(failures);
                assertTrue(d >= 0 && d <= cap, failures + " failures: " + d + " outside [0, " + cap + "]");
            }
        }
    }

    @Test
    void delaysAreSpreadSoAFleetDoesNotReconnectInStep() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long d = backoff.delayMillis(10);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 1_000, "spread only " + min + ".." + max);
    }
}
