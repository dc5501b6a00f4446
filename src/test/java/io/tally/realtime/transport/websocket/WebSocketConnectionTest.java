package io.tally.realtime.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket send pump over a {@link FakeSession}: one frame in flight at a time, a bounded queue
 * that refuses frames for a slow reader, closes that let the last few frames out first, inline
 * writes on the caller's thread and the stall guard moving a slow peer to asynchronous sends.
 */
class WebSocketConnectionTest {
    private final FakeSession fake = new FakeSession();

    private WebSocketConnection connection(int queueLimit, boolean inline) {
        return new WebSocketConnection(
                fake.session, "127.0.0.1", false, queueLimit, inline, 1_000, Runnable::run, new StallGuard());
    }

    @Test
    void queuedFramesLeaveOneAtATimeInOrder() {
        WebSocketConnection c = connection(10, false);
        for (String f : List.of("a", "b", "c")) assertTrue(c.send(f));
        assertEquals(List.of("a"), fake.written(), "one frame in flight, the rest queued");
        assertEquals(2, c.queued());
        fake.complete(true);
        assertEquals(List.of("a", "b"), fake.written());
        fake.completeAll();
        assertEquals(List.of("a", "b", "c"), fake.written());
        assertEquals(0, c.queued());
    }

    @Test
    void aFullQueueRefusesTheFrameSoTheProtocolClosesTheSlowReader() {
        WebSocketConnection c = connection(3, false);
        for (int i = 0; i < 4; i++) assertTrue(c.send("f" + i)); // one in flight, three queued
        assertFalse(c.send("one too many"));
        assertEquals(3, c.queued());
        assertFalse(c.sendInline("one too many"), "the fan-out's path has the same bound");
    }

    @Test
    void aCloseLetsTheLastFewQueuedFramesOutFirst() {
        WebSocketConnection c = connection(100, false);
        c.send("a");
        c.send("error: slow-consumer");
        c.close(1013, "slow-consumer");
        assertNull(fake.closed(), "the frames explaining the close leave first");
        assertTrue(c.send("after the close"), "accepted and dropped: the protocol is done with it");
        fake.completeAll();
        assertEquals(List.of("a", "error: slow-consumer"), fake.written());
        assertEquals(1013, fake.closed().getCloseCode().getCode());
        assertEquals("slow-consumer", fake.closed().getReasonPhrase());
    }

    @Test
    void aCloseBehindABacklogClosesAtOnceWithoutIt() {
        WebSocketConnection c = connection(100, false);
        for (int i = 0; i < 20; i++) c.send("f" + i);
        c.close(1013, "slow-consumer");
        assertEquals(1013, fake.closed().getCloseCode().getCode());
        fake.completeAll();
        assertEquals(List.of("f0"), fake.written(), "the backlog is dropped; the client resumes from its position");
    }

    @Test
    void aFailedWriteClosesTheConnection() {
        WebSocketConnection c = connection(100, false);
        c.send("a");
        c.send("b");
        fake.complete(false);
        assertEquals(1011, fake.closed().getCloseCode().getCode());
        assertEquals(List.of("a"), fake.written());
    }

    @Test
    void aStepWaitingForRoomRunsOnceTheQueueHasShrunkToItsMark() {
        WebSocketConnection c = connection(100, false);
        for (int i = 0; i < 5; i++) c.send("f" + i); // one in flight, four queued
        AtomicInteger ran = new AtomicInteger();
        assertFalse(c.roomNowOrLater(1, ran::incrementAndGet));
        fake.complete(true);
        fake.complete(true);
        assertEquals(0, ran.get(), "two still queued");
        fake.complete(true);
        assertEquals(1, ran.get(), "down to one queued: the step runs, once");
        fake.completeAll();
        assertEquals(1, ran.get());
        assertTrue(c.roomNowOrLater(1, ran::incrementAndGet), "room now: the caller goes on itself");
    }

    @Test
    void anInlineSendWritesOnTheCallersThreadWhenNothingIsQueued() {
        WebSocketConnection c = connection(100, true);
        assertTrue(c.sendInline("live"));
        assertEquals(List.of("live"), fake.written());
        assertEquals(List.of(Thread.currentThread()), fake.blockingWriters());
        assertEquals(0, fake.inFlight());
    }

    @Test
    void anInlineSendQueuesBehindAFrameInFlight() {
        WebSocketConnection c = connection(100, true);
        c.send("ack");
        assertTrue(c.sendInline("live"));
        assertTrue(fake.blockingWriters().isEmpty(), "never overtakes a frame in flight");
        fake.completeAll();
        assertEquals(List.of("ack", "live"), fake.written());
    }

    @Test
    void aPeerWhoseInlineWriteBlockedIsWrittenToAsynchronouslyFromThenOn() {
        WebSocketConnection c = connection(100, true);
        fake.blockingDelayMillis = StallGuard.SLOW_NANOS / 1_000_000 + 20;
        c.sendInline("slow");
        fake.blockingDelayMillis = 0;
        c.sendInline("next");
        assertEquals(1, fake.blockingWriters().size(), "only the first write blocked the fan-out");
        assertEquals(1, fake.inFlight(), "the next went asynchronously");
        assertEquals(List.of("slow", "next"), fake.written());
    }

    @Test
    void withoutInlineSendsTheFanOutsFramesAreQueuedToo() {
        WebSocketConnection c = connection(100, false);
        c.sendInline("live");
        assertTrue(fake.blockingWriters().isEmpty());
        assertEquals(1, fake.inFlight());
    }
}
