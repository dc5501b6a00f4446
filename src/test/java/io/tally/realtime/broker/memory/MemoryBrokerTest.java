package io.tally.realtime.broker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.Position;
import io.tally.realtime.broker.Broker;
import io.tally.realtime.broker.BrokerContract;
import io.tally.realtime.broker.History;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest extends BrokerContract {
    @Override
    protected Broker newBroker() {
        return new MemoryBroker(50);
    }

    @Test
    void readingAnUnknownRoomCreatesNothingAndExistsSaysSo() {
        MemoryBroker b = new MemoryBroker(50);
        assertFalse(b.exists("never"));
        assertEquals(0, b.roomCount());
        b.publish("once", "{}");
        assertTrue(b.exists("once"));
        assertEquals(1, b.roomCount());
    }

    @Test
    void anIdleUnwatchedRoomIsDroppedAndAResumeGetsAnExplicitReset() {
        AtomicLong now = new AtomicLong();
        MemoryBroker b = new MemoryBroker(50, 60_000, now::get);
        Position idle = b.publish("idle", "{\"n\":1}");
        b.publish("watched", "{\"n\":1}");
        b.watch("watched");
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        b.publish("busy", "{\"n\":1}"); // any publish sweeps
        assertFalse(b.exists("idle"), "idle for longer than the limit: dropped");
        assertTrue(b.exists("watched"), "somebody watches it: kept");
        assertEquals(2, b.roomCount());
        // A reader standing in the dropped room's history is told, not silently moved on.
        History h = b.history("idle", idle, 10);
        assertEquals(History.EPOCH_CHANGED, h.resetReason());
        assertNotEquals(idle.epoch(), b.publish("idle", "{\"n\":2}").epoch());
    }
}
