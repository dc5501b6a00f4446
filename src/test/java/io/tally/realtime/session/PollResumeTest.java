package io.tally.realtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tally.config.Settings;
import io.tally.json.Json;
import io.tally.realtime.Position;
import io.tally.realtime.RealtimeConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A poll that resumes exactly where this instance's feed stands waits for the feed without reading
 * history; any other position still reads it. The broker is the real memory broker, counted.
 */
class PollResumeTest {
    private final CountingBroker broker = new CountingBroker();
    private final RealtimeCore realtime =
            RealtimeCore.create(RealtimeConfig.from(new Settings(Map.<String, String>of()::get)), broker);

    @AfterEach
    void close() {
        realtime.close();
    }

    private CompletableFuture<String> poll(Position since) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        String body = "{\"v\":1,\"rooms\":{\"game-1\":{\"epoch\":\"" + since.epoch() + "\",\"offset\":\""
                + since.offset() + "\"}}}";
        realtime.poll(body, "127.0.0.1", (status, type, text, retry) -> answer.complete(status + " " + text));
        return answer;
    }

    /** Offsets of the message frames in a poll answer. */
    @SuppressWarnings("unchecked")
    private static List<Object> offsets(String answer) {
        Map<String, Object> batch = (Map<String, Object>) Json.parse(answer.substring(answer.indexOf(' ') + 1));
        return ((List<Object>) batch.get("frames"))
                .stream()
                        .map(f -> (Map<String, Object>) f)
                        .filter(f -> "message".equals(f.get("type")))
                        .map(f -> ((Map<String, Object>) f.get("position")).get("offset"))
                        .toList();
    }

    private void awaitPollsWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (realtime.status().pollsWaiting() != n && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(n, realtime.status().pollsWaiting());
    }

    @Test
    void aPollFromTheFeedsLastPositionWaitsWithoutReadingHistoryAndMissesNothing() throws Exception {
        Position start = realtime.tip("game-1");
        CompletableFuture<String> first = poll(start);
        awaitPollsWaiting(1);
        Position one = realtime.publish("game-1", "{\"n\":1}");
        assertEquals(List.of("1"), offsets(first.get(10, TimeUnit.SECONDS)));
        int readsBefore = broker.historyReads.get();

        CompletableFuture<String> second = poll(one); // where the feed stands: nothing to read
        awaitPollsWaiting(1);
        assertFalse(second.isDone());
        realtime.publish("game-1", "{\"n\":2}");
        realtime.publish("game-1", "{\"n\":3}");
        List<Object> got = offsets(second.get(10, TimeUnit.SECONDS));
        assertEquals("2", got.get(0), got.toString());
        assertEquals(readsBefore, broker.historyReads.get(), "no history read for a poll at the feed's position");

        CompletableFuture<String> behind = poll(start); // behind the feed: reads history, gets everything
        assertEquals(List.of("1", "2", "3"), offsets(behind.get(10, TimeUnit.SECONDS)));
        assertEquals(readsBefore + 1, broker.historyReads.get());
    }
}
