package io.tally.doctor;

import io.tally.json.Json;
import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import io.tally.realtime.Realtime;
import io.tally.realtime.UnavailableException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Which instances share this one's broker, seen recently. Every instance publishes a tiny beat
 * ({@code {"instance":..,"at":..}}) to one room through the {@link Realtime} API every
 * {@link #BEAT_MILLIS}; reading the room's history back from a position recorded a window ago
 * tells who beat since. Instances are only visible to each other through a shared broker (Redis);
 * with the in-memory broker there is nothing to share, so no beats are sent.
 *
 * <p>Costs one small publish per instance every 10 s; the room's history is trimmed by the broker
 * like any other room's.
 */
final class Presence {
    static final String ROOM = "tally-doctor.presence";
    static final long BEAT_MILLIS = 10_000;
    static final long WINDOW_MILLIS = 60_000;
    private static final int READ_LIMIT = 2_000;

    /** Where the room ended at a moment: read after it to see every beat since. */
    record Anchor(long atMillis, Position position) {}

    /** The outcome of the last beat, for the report. */
    record Beat(long atMillis, long publishMillis, String problem) {}

    private final Realtime realtime;
    private final LongSupplier clock;
    private final Deque<Anchor> anchors = new ArrayDeque<>();
    private final long startedAt;
    private Beat lastBeat;

    Presence(Realtime realtime, LongSupplier clock) {
        this.realtime = realtime;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    /** Publishes this instance's beat; returns what happened (never throws). */
    synchronized Beat beat() {
        long now = clock.getAsLong();
        long t0 = System.nanoTime();
        try {
            Position before = realtime.tip(ROOM);
            if (anchors.isEmpty()) {
                Anchor earlier = windowAgo(before, now);
                if (earlier != null) anchors.addLast(earlier);
            }
            anchors.addLast(new Anchor(now, before));
            pruneAnchors(now);
            realtime.publish(
                    ROOM, JsonWriter.write(Map.of("instance", realtime.config().instanceId(), "at", now)));
            lastBeat = new Beat(now, (System.nanoTime() - t0) / 1_000_000, null);
        } catch (RuntimeException e) {
            // UnavailableException when Redis is down; anything else must not stop the periodic beat either.
            lastBeat = new Beat(now, -1, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return lastBeat;
    }

    /** A beat now unless the last one is younger than {@code maxAgeMillis}; returns the latest beat. */
    synchronized Beat freshBeat(long maxAgeMillis) {
        if (lastBeat == null || clock.getAsLong() - lastBeat.atMillis() >= maxAgeMillis) return beat();
        return lastBeat;
    }

    /**
     * On the first beat, a position one window back, so the beats other instances sent before this one
     * started count too. Only possible when offsets are Redis stream ids ("millis-seq", see
     * docs/PROTOCOL.md); otherwise (counters) null, and this instance sees others from its first beat on.
     */
    static Anchor windowAgo(Position tip, long now) {
        String offset = tip.offset();
        if (offset.indexOf('-') <= 0) return null;
        long millis = Position.majorOf(offset, -1);
        if (millis < 1_000_000_000_000L) return null; // not a clock reading
        long from = Math.min(millis, now - WINDOW_MILLIS);
        return new Anchor(now - WINDOW_MILLIS, new Position(tip.epoch(), from + "-0"));
    }

    private void pruneAnchors(long now) {
        // Keep the newest anchor that is at least a window old (the read starts there) and all newer ones.
        while (anchors.size() > 1) {
            Anchor second = anchors.stream().skip(1).findFirst().orElseThrow();
            if (second.atMillis() <= now - WINDOW_MILLIS) anchors.removeFirst();
            else break;
        }
    }

    /**
     * Instances whose beat arrived in the last window, each with the age of its last beat in ms
     * (as this instance's clock sees it). Throws {@link UnavailableException} when history cannot be read.
     */
    synchronized Map<String, Long> seen() {
        long now = clock.getAsLong();
        Map<String, Long> lastAt = new TreeMap<>();
        Anchor from = anchors.peekFirst();
        if (from == null) return lastAt;
        Position since = from.position();
        for (int page = 0; page < 10; page++) {
            Realtime.HistoryExcerpt h = realtime.readHistory(ROOM, since, READ_LIMIT);
            if (h.reset()) {
                // The room's history was lost (Redis restarted) or trimmed: read what the new one holds.
                if (since.offset().equals(Position.START)
                        && since.epoch().equals(h.tip().epoch())) break;
                since = new Position(h.tip().epoch(), Position.START);
                anchors.clear();
                anchors.addLast(new Anchor(now, since));
                continue;
            }
            for (String payload : h.payloads()) {
                try {
                    Map<String, Object> beat = Json.parseObject(payload, 4);
                    if (beat.get("instance") instanceof String id && beat.get("at") instanceof Number at) {
                        lastAt.merge(id, at.longValue(), Math::max);
                    }
                } catch (RuntimeException ignored) {
                    // Not a beat (somebody published to the room): skip it.
                }
            }
            if (h.payloads().size() < READ_LIMIT) break;
            since = h.last();
        }
        Map<String, Long> ages = new LinkedHashMap<>();
        lastAt.forEach((id, at) -> {
            long age = Math.max(0, now - at);
            if (age <= WINDOW_MILLIS) ages.put(id, age);
        });
        return ages;
    }

    synchronized Beat lastBeat() {
        return lastBeat;
    }

    /** How long this instance has been watching (the window is shorter until it has watched a full one). */
    long watchedMillis() {
        return Math.min(WINDOW_MILLIS, clock.getAsLong() - startedAt);
    }
}
