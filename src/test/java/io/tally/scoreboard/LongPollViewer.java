package io.tally.scoreboard;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A viewer speaking the raw long-poll protocol (docs/PROTOCOL.md) for one room, as the browser client
 * would after loading a snapshot: it starts from the snapshot's position and keeps the payloads of
 * every message in order.
 */
final class LongPollViewer {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String room;
    private Object position;
    final List<Map<String, Object>> payloads = new ArrayList<>();
    final List<String> offsets = new ArrayList<>();
    int resets;

    LongPollViewer(String room, Object position) {
        this.room = room;
        this.position = position;
    }

    /** One poll against {@code baseUrl}: appends what arrived (possibly nothing, after the hold). */
    @SuppressWarnings("unchecked")
    void pollOnce(String baseUrl) throws Exception {
        Map<String, Object> rooms = new LinkedHashMap<>();
        rooms.put(room, position);
        String body = JsonWriter.write(Map.of("v", 1L, "rooms", rooms));
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/live/poll"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("poll answered " + r.statusCode() + ": " + r.body());
        Map<String, Object> batch = Json.parseObject(r.body(), 64);
        for (Object f : (List<Object>) batch.get("frames")) {
            Map<String, Object> frame = (Map<String, Object>) f;
            if (!room.equals(frame.get("room"))) continue;
            switch ((String) frame.get("type")) {
                case "ack" -> position = frame.get("position");
                case "reset" -> {
                    resets++;
                    position = frame.get("position");
                }
                case "message" -> {
                    position = frame.get("position");
                    offsets.add((String) ((Map<String, Object>) position).get("offset"));
                    payloads.add((Map<String, Object>) frame.get("data"));
                }
                default -> {}
            }
        }
    }

    /** Polls until {@code count} messages have arrived or the deadline passes. */
    void pollUntil(String baseUrl, int count, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (payloads.size() < count && System.nanoTime() < deadline) pollOnce(baseUrl);
    }

    /** The game versions of the received payloads, in arrival order. */
    @SuppressWarnings("unchecked")
    List<Long> versions() {
        List<Long> v = new ArrayList<>();
        for (Map<String, Object> p : payloads) v.add((Long) ((Map<String, Object>) p.get("game")).get("version"));
        return v;
    }
}
