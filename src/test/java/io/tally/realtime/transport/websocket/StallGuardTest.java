package io.tally.realtime.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fan-out's budget for blocked inline writes, on a clock the test sets. */
class StallGuardTest {
    private static final long MS = 1_000_000;
    private static final long S = 1_000 * MS;

    @Test
    void aQuickWriteIsNoStall() {
        StallGuard g = new StallGuard();
        long now = System.nanoTime();
        assertFalse(g.record(1 * MS, now));
        assertTrue(g.allowsInline(now));
    }

    @Test
    void stallsBeyondTheBudgetWithinTheWindowTurnInlineSendsOffForTheCoolDown() {
        StallGuard g = new StallGuard();
        long now = System.nanoTime();
        assertTrue(g.record(200 * MS, now), "a slow write is a stall");
        assertTrue(g.record(200 * MS, now + 1 * S));
        assertTrue(g.allowsInline(now + 1 * S), "within the budget");
        g.record(200 * MS, now + 2 * S);
        assertFalse(g.allowsInline(now + 2 * S), "past the budget: every viewer is written to asynchronously");
        assertFalse(g.allowsInline(now + 61 * S));
        assertTrue(g.allowsInline(now + 63 * S), "back on after the cool-down");
    }

    @Test
    void stallsSpreadOverSeveralWindowsNeverAddUpToTheBudget() {
        StallGuard g = new StallGuard();
        long now = System.nanoTime();
        for (int i = 0; i < 10; i++) g.record(300 * MS, now + i * 11 * S);
        assertTrue(g.allowsInline(now + 100 * S));
    }
}
