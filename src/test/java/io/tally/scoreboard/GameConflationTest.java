package io.tally.scoreboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tally.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A game room's messages merged for a slow viewer: the newest summary and the entries, in version order, each once. */
class GameConflationTest {
    private static String event(long v) {
        return "{\"kind\":\"event\",\"event\":{\"version\":" + v
                + ",\"type\":\"score\"},\"game\":{\"id\":\"g\",\"version\":" + v + "}}";
    }

    @Test
    void theNewestSummaryAndEveryEntryOnceInVersionOrder() {
        GameConflation c = new GameConflation();
        String merged = c.merge(List.of(event(5), event(7), event(6))); // two writers published out of order
        Map<?, ?> m = (Map<?, ?>) Json.parse(merged);
        assertEquals("events", m.get("kind"));
        assertEquals(7L, ((Map<?, ?>) m.get("game")).get("version"));
        assertEquals(
                List.of(5L, 6L, 7L),
                ((List<?>) m.get("events"))
                        .stream().map(e -> ((Map<?, ?>) e).get("version")).toList());
        // Merging a merge with more messages: still each entry once.
        Map<?, ?> again = (Map<?, ?>) Json.parse(c.merge(List.of(merged, event(7), event(8))));
        assertEquals(
                List.of(5L, 6L, 7L, 8L),
                ((List<?>) again.get("events"))
                        .stream().map(e -> ((Map<?, ?>) e).get("version")).toList());
    }

    @Test
    void keepsTheLastFiftyEntriesAsAPageDoes() {
        List<String> many = new ArrayList<>();
        for (long v = 1; v <= 120; v++) many.add(event(v));
        Map<?, ?> m = (Map<?, ?>) Json.parse(new GameConflation().merge(many));
        List<?> events = (List<?>) m.get("events");
        assertEquals(GameConflation.EVENTS, events.size());
        assertEquals(71L, ((Map<?, ?>) events.get(0)).get("version"));
        assertEquals(120L, ((Map<?, ?>) m.get("game")).get("version"));
    }

    @Test
    void somethingThatIsNotAGameMessageIsRefused() {
        assertThrows(RuntimeException.class, () -> new GameConflation().merge(List.of("{\"n\":1}", "{\"n\":2}")));
    }
}
