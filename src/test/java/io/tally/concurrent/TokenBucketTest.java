package io.tally.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void startsFullAllowsABurstThenRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(2, 3, 0);
        assertTrue(b.isFull(0));
        for (int i = 0; i < 3; i++) assertTrue(b.tryAcquire(0), "the burst");
        assertFalse(b.tryAcquire(0));
        assertEquals(1, b.secondsUntilNext());
        assertTrue(b.tryAcquire(SECOND / 2), "half a second at 2/s brings one token");
        assertFalse(b.tryAcquire(SECOND / 2));
        assertFalse(b.isFull(SECOND));
        assertTrue(b.isFull(3 * SECOND), "refilled, never past its capacity");
        for (int i = 0; i < 3; i++) assertTrue(b.tryAcquire(10 * SECOND));
        assertFalse(b.tryAcquire(10 * SECOND));
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        TokenBucket b = new TokenBucket(0.25, 1, 0);
        assertTrue(b.tryAcquire(0));
        assertFalse(b.tryAcquire(0));
        assertEquals(4, b.secondsUntilNext());
    }
}
