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

    /** Rejections by reason (e.g. "rate-limited", "slow-consumer", "bad-json"). */
    public Map<String, Long> rejected() {
        Map<String, Long> out = new TreeMap<>();
        rejected.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
