package io.tally.realtime.session;

import io.tally.realtime.Metrics;
import io.tally.realtime.broker.Broker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * "N watching": every interval, this instance's viewers per counted room are sampled, exchanged
 * through the broker for the totals over every instance, and a total that changed is told to the
 * room's local viewers. Costs one broker call per interval and one frame per viewer per change,
 * whatever the rate of joins. In a big room small changes are held back: a total is told when it
 * moved by at least 1 % (or by any amount once {@value #QUIET_MILLIS} ms have passed since it was
 * last told), so a room of 100,000 with viewers coming and going is not re-told every second. A
 * fall is told only once two rounds in a row show it: right after Redis restarts, or when another
 * instance's report is late, one round may see only part of the viewers, and the count must not
 * flicker.
 */
final class Audience {
    private static final Logger LOG = Logger.getLogger(Audience.class.getName());
    static final long QUIET_MILLIS = 10_000;

    private record Told(long viewers, long atNanos) {}

    private final Hub hub;
    private final Broker broker;
    private final Metrics metrics;
    private volatile Predicate<String> counted = room -> false;
    private final Map<String, Long> totals = new ConcurrentHashMap<>(); // as last told to the room's viewers
    // Touched only by exchange(), which runs on one thread at a time.
    private Map<String, Long> reported = Map.of();
    private final Map<String, Told> told = new HashMap<>();
    private final java.util.Set<String> falling = new java.util.HashSet<>(); // rooms whose last round showed a fall
    private boolean failing;

    Audience(Hub hub, Broker broker, Metrics metrics) {
        this.hub = hub;
        this.broker = broker;
        this.metrics = metrics;
    }

    /** Adds rooms whose viewers are counted. */
    synchronized void count(Predicate<String> rooms) {
        counted = counted.or(rooms);
    }

    boolean isCounted(String room) {
        return counted.test(room);
    }

    /** The room's total over every instance as last told to its viewers, or -1 when none is known yet. */
    long total(String room) {
        Long n = totals.get(room);
        return n == null ? -1 : n;
    }

    /** One round: sample, report, learn the totals, tell what changed. */
    synchronized void exchange() {
        Map<String, Long> local = hub.sampleCounts(counted);
        Map<String, Long> changed = new HashMap<>();
        local.forEach((room, n) -> {
            if (!n.equals(reported.get(room))) changed.put(room, n);
        });
        reported.keySet().forEach(room -> {
            if (!local.containsKey(room)) changed.put(room, 0L);
        });
        Map<String, Long> all;
        long start = System.nanoTime();
        try {
            all = broker.exchangeCounts(local, changed);
        } catch (RuntimeException e) {
            metrics.countFailures.increment();
            if (!failing)
                LOG.warning("viewer counts could not be exchanged (retrying every interval): " + e.getMessage());
            failing = true;
            return;
        }
        if (failing) LOG.info("viewer counts exchanged again");
        failing = false;
        metrics.countExchanges.increment();
        metrics.countExchange.record(System.nanoTime() - start);
        reported = local;
        long viewers = 0;
        for (long n : local.values()) viewers += n;
        metrics.localViewers = viewers;
        metrics.countedRooms = local.size();
        totals.keySet().retainAll(local.keySet());
        told.keySet().retainAll(local.keySet());
        falling.retainAll(local.keySet());
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : all.entrySet()) {
            String room = e.getKey();
            // Another instance's report may lag ours: never show fewer than this instance alone holds.
            long total = Math.max(e.getValue(), local.getOrDefault(room, 0L));
            Told last = told.get(room);
            if (last != null && total < last.viewers() && falling.add(room)) continue; // confirm it next round
            if (last == null || total >= last.viewers()) falling.remove(room);
            if (last != null && !worthTelling(last, total, now)) continue;
            falling.remove(room);
            told.put(room, new Told(total, now));
            totals.put(room, total);
            metrics.countsTold.increment();
            hub.count(room, total);
        }
    }

    private static boolean worthTelling(Told last, long total, long now) {
        long delta = Math.abs(total - last.viewers());
        if (delta == 0) return false;
        return delta * 100 >= last.viewers() || now - last.atNanos() >= QUIET_MILLIS * 1_000_000L;
    }
}
