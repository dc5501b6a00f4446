package io.tally.realtime.session;

import static io.tally.testing.Frames.data;
import static io.tally.testing.Frames.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.realtime.Position;
import io.tally.realtime.broker.memory.MemoryBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One long-poll against the core, no servlet: resume, reset, page and size bounds, the hold and
 * its end, unknown rooms, bad bodies and drain.
 */
class PollTest {
    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A poll's answer: its status and body. */
    private record Answer(int status, String body) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> frames() {
            Map<String, Object> batch = (Map<String, Object>) Json.parse(body);
            assertEquals("batch", batch.get("type"));
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object f : (List<Object>) batch.get("frames")) out.add(map(f));
            return out;
        }

        List<Map<String, Object>> ofType(String type) {
            return frames().stream().filter(f -> type.equals(f.get("type"))).toList();
        }

        List<Long> ns() {
            return ofType("message").stream().map(f -> (Long) data(f).get("n")).toList();
        }

        /** The position of the last message, as the client's next poll names it. */
        Position last() {
            Map<String, Object> p =
                    map(ofType("message").get(ofType("message").size() - 1).get("position"));
            return new Position((String) p.get("epoch"), (String) p.get("offset"));
        }
    }

    private static CompletableFuture<Answer> poll(RealtimeCore core, String body) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        core.poll(body, "127.0.0.1", (status, type, text, retry) -> answer.complete(new Answer(status, text)));
        return answer;
    }

    private static CompletableFuture<Answer> poll(RealtimeCore core, String room, Position since) {
        return poll(
                core,
                "{\"v\":1,\"rooms\":{\"" + room + "\":" + (since == null ? "null" : SessionFixture.json(since)) + "}}");
    }

    private static Answer get(CompletableFuture<Answer> answer) throws Exception {
        return answer.get(FakeConnection.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Position publish(RealtimeCore core, int from, int to, String pad) {
        Position p = null;
        for (int n = from; n <= to; n++) p = core.publish("game-1", "{\"n\":" + n + pad + "}");
        return p;
    }

    @Test
    void aResumeIsAnsweredAtOnceWithWhatWasMissedInOrder() throws Exception {
        RealtimeCore core = fixture.core();
        Position start = core.publish("game-1", "{\"n\":0}");
        publish(core, 1, 5, "");
        Answer a = get(poll(core, "game-1", start));
        assertEquals(200, a.status());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), a.ns());
    }

    @Test
    void aRoomWithoutAPositionIsAckedAtItsEnd() throws Exception {
        RealtimeCore core = fixture.core();
        Position tip = publish(core, 1, 3, "");
        Answer a = get(poll(core, "game-1", null));
        Map<String, Object> ack = a.ofType("ack").get(0);
        assertEquals(tip.offset(), map(ack.get("position")).get("offset"));
        assertTrue(a.ns().isEmpty());
    }

    @Test
    void aPositionOfALostHistoryIsAnsweredWithAResetToTheTip() throws Exception {
        RealtimeCore core = fixture.core(new MemoryBroker(10));
        Position gone = publish(core, 1, 1, "");
        Position tip = publish(core, 2, 30, "");
        Map<String, Object> trimmed =
                get(poll(core, "game-1", gone)).ofType("reset").get(0);
        assertEquals("history-trimmed", trimmed.get("reason"));
        assertEquals(tip.offset(), map(trimmed.get("position")).get("offset"));
        Map<String, Object> foreign = get(poll(core, "game-1", new Position("gone", "3")))
                .ofType("reset")
                .get(0);
        assertEquals("epoch-changed", foreign.get("reason"));
    }

    @Test
    void anAnswerHoldsOnePageAndTheNextPollResumesWhereItEnded() throws Exception {
        RealtimeCore core = fixture.core();
        Position start = core.publish("game-1", "{\"n\":0}");
        publish(core, 1, Poll.PAGE + 50, "");
        Answer first = get(poll(core, "game-1", start));
        assertEquals(Poll.PAGE, first.ns().size());
        Answer second = get(poll(core, "game-1", first.last()));
        List<Long> all = new ArrayList<>(first.ns());
        all.addAll(second.ns());
        List<Long> expected = new ArrayList<>();
        for (long n = 1; n <= Poll.PAGE + 50; n++) expected.add(n);
        assertEquals(expected, all, "nothing lost or repeated across the page's end");
    }

    @Test
    void aSlowPollerGetsAnswersWithinTheByteLimitAndCatchesUpOverSeveralPolls() throws Exception {
        RealtimeCore core = fixture.core("TALLY_MAX_ANSWER_BYTES", "1024");
        Position since = core.publish("game-1", "{\"n\":0}");
        String pad = ",\"pad\":\"" + "x".repeat(200) + "\"";
        publish(core, 1, 20, pad);
        List<Long> seen = new ArrayList<>();
        for (int polls = 0; seen.size() < 20; polls++) {
            assertTrue(polls < 20, "catches up: " + seen);
            Answer a = get(poll(core, "game-1", since));
            assertTrue(a.body().length() <= 1024 + 300, "within the limit (the first message always fits)");
            assertFalse(a.ns().isEmpty(), "every answer makes progress");
            seen.addAll(a.ns());
            since = a.last();
        }
        for (int i = 0; i < 20; i++) assertEquals(i + 1L, seen.get(i));
    }

    @Test
    void aPollWithNothingNewIsHeldUntilAMessageArrives() throws Exception {
        RealtimeCore core = fixture.core();
        Position tip = core.publish("game-1", "{\"n\":0}");
        CompletableFuture<Answer> held = poll(core, "game-1", tip);
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (core.status().pollsWaiting() != 1 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertFalse(held.isDone(), "held: nothing to answer yet");
        core.publish("game-1", "{\"n\":1}");
        assertEquals(List.of(1L), get(held).ns());
        assertEquals(0, core.status().pollsWaiting());
    }

    @Test
    void aHoldThatEndsWithNothingNewIsAnsweredWithAnEmptyBatch() throws Exception {
        RealtimeCore core = fixture.core("TALLY_POLL_HOLD_MS", "50");
        Position tip = core.publish("game-1", "{\"n\":0}");
        Answer a = get(poll(core, "game-1", tip));
        assertEquals(200, a.status());
        assertTrue(a.frames().isEmpty(), a.body());
    }

    @Test
    void anUnknownRoomGetsAnErrorWhileTheOtherRoomsAreServed() throws Exception {
        RealtimeCore core = fixture.core();
        Position start = core.publish("game-1", "{\"n\":0}");
        publish(core, 1, 1, "");
        Answer a = get(poll(
                core, "{\"v\":1,\"rooms\":{\"nobody-made-this\":null,\"game-1\":" + SessionFixture.json(start) + "}}"));
        Map<String, Object> error = a.ofType("error").get(0);
        assertEquals("unknown-room", error.get("code"));
        assertEquals("nobody-made-this", error.get("room"));
        assertEquals(List.of(1L), a.ns());
    }

    @Test
    void aBodyThatIsNotAPollIsRefusedWith400() throws Exception {
        RealtimeCore core = fixture.core();
        Answer a = get(poll(core, "{\"v\":1,\"rooms\":[1,2]"));
        assertEquals(400, a.status());
        assertTrue(a.body().contains("\"status\":400"), a.body());
    }

    @Test
    void aDrainAnswersHeldPollsWithAReconnectAndRefusesNewOnes() throws Exception {
        RealtimeCore core = fixture.core("TALLY_DRAIN_WINDOW_MS", "1000");
        Position tip = core.publish("game-1", "{\"n\":0}");
        CompletableFuture<Answer> held = poll(core, "game-1", tip);
        long deadline = System.nanoTime() + FakeConnection.WAIT.toNanos();
        while (core.status().pollsWaiting() != 1 && System.nanoTime() < deadline) Thread.onSpinWait();
        core.drain(1_000);
        Answer a = get(held);
        assertEquals(200, a.status());
        assertTrue((Long) a.ofType("reconnect").get(0).get("after") < 1000);
        Answer refused = get(poll(core, "game-1", tip));
        assertEquals(503, refused.status());
        assertTrue(refused.body().contains("draining"), refused.body());
    }
}
