package io.tally.scoreboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteLimiterTest {
    @Test
    void aClientGetsItsBurstThenWaitsForTheRefill() {
        AtomicLong now = new AtomicLong();
        WriteLimiter limiter = new WriteLimiter(2, 3, now::get);
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("a"));
        assertTrue(limiter.acquire("a") >= 1, "the fourth request at once must wait");
        assertEquals(0, limiter.acquire("b"), "another client has its own bucket");
        now.addAndGet(500_000_000L); // half a second refills one token at 2/s
        assertEquals(0, limiter.acquire("a"));
        assertTrue(limiter.acquire("a") >= 1);
    }
}
