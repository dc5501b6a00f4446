package io.tally.realtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the real-time core, cheap on the hot path (LongAdder), read by status and metrics.
 * The counters themselves are public for the core's session package, which records into them; the
 * application only reads.
 */
public final class Metrics {
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder framesOut = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder polls = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LatencyHistogram fanout = new LatencyHistogram();
    public final LongAdder countExchanges = new LongAdder();
    public final LongAdder countFailures = new LongAdder();
    public final LatencyHistogram countExchange = new LatencyHistogram();
    public final LongAdder countsTold = new LongAdder();
    public final LongAdder conflated = new LongAdder();
    public volatile long localViewers;
    public volatile long countedRooms;
    private final ConcurrentHashMap<String, LongAdder> rejected = new ConcurrentHashMap<>();

    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long published() {
        return published.sum();
    }

    public long polls() {
        return polls.sum();
    }

    /** Messages the broker handed to this instance for its local subscribers. */
    public long delivered() {
        return delivered.sum();
    }

    /** Time from a message reaching this instance to its frames being queued for every local subscriber (per batch). */
    public LatencyHistogram fanoutLatency() {
        return fanout;
    }

    /** Viewers of counted rooms on this instance, as last reported to the other instances. */
    public long localViewers() {
        return localViewers;
    }

    /** Counted rooms with viewers on this instance. */
    public long countedRooms() {
        return countedRooms;
    }

    /** Viewer-count reports the broker accepted, and those it could not take. */
    public long countExchanges() {
        return countExchanges.sum();
    }

    public long countFailures() {
        return countFailures.sum();
    }

    /** Time of one viewer-count exchange with the broker (one Redis script). */
    public LatencyHistogram countExchangeLatency() {
        return countExchange;
    }

    /** Room totals told to this instance's viewers (each goes to every local viewer of the room). */
    public long countsTold() {
        return countsTold.sum();
    }

    /** Conflated messages sent: one stands for several messages a viewer had fallen behind on. */
    public long conflated() {
        return conflated.sum();
    }

    /** Rejections by reason (e.g. "rate-limited", "slow-consumer", "bad-json"). */
    public Map<String, Long> rejected() {
        Map<String, Long> out = new TreeMap<>();
        rejected.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
