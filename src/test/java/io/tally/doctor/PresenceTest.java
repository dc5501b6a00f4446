package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tally.realtime.Position;
import org.junit.jupiter.api.Test;

class PresenceTest {
    @Test
    void aStreamIdTipGivesAnAnchorOneWindowBack() {
        long now = 1_764_000_000_000L;
        Presence.Anchor a = Presence.windowAgo(new Position("e1", now - 5_000 + "-3"), now);
        assertEquals(new Position("e1", (now - Presence.WINDOW_MILLIS) + "-0"), a.position());
        assertEquals(now - Presence.WINDOW_MILLIS, a.atMillis());
    }

    @Test
    void aTipOlderThanTheWindowIsNotSkippedPast() {
        long now = 1_764_000_000_000L;
        long old = now - 10 * Presence.WINDOW_MILLIS;
        assertEquals(
                new Position("e1", old + "-0"),
                Presence.windowAgo(new Position("e1", old + "-0"), now).position());
    }

    @Test
    void counterOffsetsHaveNoClockToGoBackBy() {
        assertNull(Presence.windowAgo(new Position("e1", "17"), 1_764_000_000_000L));
        assertNull(Presence.windowAgo(new Position("e1", "0"), 1_764_000_000_000L));
        assertNull(Presence.windowAgo(new Position("e1", "12-1"), 1_764_000_000_000L));
    }
}
