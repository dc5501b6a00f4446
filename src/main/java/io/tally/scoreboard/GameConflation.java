package io.tally.scoreboard;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.realtime.Conflation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges a game room's messages for a viewer that fell behind: the newest summary (the whole state
 * but the log) and the log entries the messages added, oldest first, at most {@value #EVENTS}
 * (what a page keeps). The result is {@code {"kind":"events","events":[…],"game":{…}}}: applied to
 * the game a viewer shows, it leaves the viewer where applying every message one by one would have.
 */
public final class GameConflation implements Conflation {
    static final int EVENTS = 50;

    @Override
    public String merge(List<String> payloads) {
        Map<Long, Object> events = new TreeMap<>(); // by version: in order, each once
        Map<?, ?> game = null;
        long version = Long.MIN_VALUE;
        for (String payload : payloads) {
            Map<?, ?> m = (Map<?, ?>) Json.parse(payload);
            if (m.get("event") instanceof Map<?, ?> e) events.put(versionOf(e), e);
            if (m.get("events") instanceof List<?> list) {
                for (Object e : list) events.put(versionOf((Map<?, ?>) e), e);
            }
            // Across instances two writers may publish out of version order: the highest version is the latest state.
            if (m.get("game") instanceof Map<?, ?> g && versionOf(g) >= version) {
                game = g;
                version = versionOf(g);
            }
        }
        if (game == null) throw new IllegalArgumentException("no game summary among the messages");
        List<Object> kept = new ArrayList<>(events.values());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "events");
        out.put("events", kept.subList(Math.max(0, kept.size() - EVENTS), kept.size()));
        out.put("game", game);
        return JsonWriter.write(out);
    }

    private static long versionOf(Map<?, ?> m) {
        if (m.get("version") instanceof Long v) return v;
        throw new IllegalArgumentException("a game message without a version");
    }
}
