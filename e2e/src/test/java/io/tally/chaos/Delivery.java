package io.tally.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The campaign checker's delivery rules for runs too long to keep every viewer's log (the soak):
 * every offset any viewer received or a writer was acknowledged at is remembered per room and
 * epoch, and each viewer reports its stretches of unbroken history ({@link #stretch}: from a start
 * or a reset to its last message, with how many new messages it got). An offset of the room inside
 * a stretch that the viewer did not receive is lost; a message at or before the viewer's last one
 * is duplicated or out of order; a message of another epoch without a reset is a silent epoch
 * change. Memory: one set of offsets per room (the writes), a few numbers per stretch.
 */
final class Delivery {
    private record Stretch(String room, String epoch, String from, String to, long received) {}

    private final Map<String, ConcurrentSkipListSet<String>> offsets = new ConcurrentHashMap<>();
    private final Queue<Stretch> stretches = new ConcurrentLinkedQueue<>();
    final LongAdder messages = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder silentEpochChanges = new LongAdder();
    final Map<String, LongAdder> resets = new ConcurrentHashMap<>();

    /** A position some viewer received, or a writer was acknowledged at. */
    void exists(String room, Pos p) {
        offsets.computeIfAbsent(room + " " + p.epoch(), k -> new ConcurrentSkipListSet<>(Pos::compareOffsets))
                .add(p.offset());
    }

    void reset(String reason) {
        resets.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    long resetCount() {
        return resets.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A viewer received every one of {@code received} new messages of {@code epoch} after {@code from} up to {@code to}. */
    void stretch(String room, String epoch, String from, String to, long received) {
        if (to != null && Pos.compareOffsets(to, from) > 0) stretches.add(new Stretch(room, epoch, from, to, received));
    }

    /** Offsets inside some viewer's stretch that this viewer never received (call once everything stopped). */
    long lost() {
        Map<String, String[]> sorted = new ConcurrentHashMap<>();
        offsets.forEach((k, set) -> sorted.put(k, set.toArray(String[]::new)));
        long lost = 0;
        for (Stretch s : stretches) {
            String[] all = sorted.get(s.room() + " " + s.epoch());
            if (all == null) continue;
            long expected = after(all, s.to()) - after(all, s.from());
            lost += Math.max(0, expected - s.received());
        }
        return lost;
    }

    /** How many of the sorted {@code offsets} are at or before {@code offset}. */
    private static int after(String[] offsets, String offset) {
        int i = Arrays.binarySearch(offsets, offset, Pos::compareOffsets);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** One line for the reports: lost, duplicated, out of order, resets by reason, silent epoch changes. */
    String summary() {
        List<String> why = new ArrayList<>();
        resets.forEach((k, v) -> why.add(v.sum() + " " + k));
        return String.format(
                "%d messages, %d lost, %d duplicated, %d out of order, %d resets%s, %d silent epoch changes",
                messages.sum(),
                lost(),
                duplicated.sum(),
                outOfOrder.sum(),
                resetCount(),
                why.isEmpty() ? "" : " (" + String.join(", ", why) + ")",
                silentEpochChanges.sum());
    }
}
