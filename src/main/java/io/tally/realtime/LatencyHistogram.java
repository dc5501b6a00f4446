package io.tally.realtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram for the hot path: recording is a short scan over eleven bounds
 * and two {@link LongAdder} increments, no allocation, no lock. Buckets are cumulative only when
 * read, as Prometheus expects.
 */
public final class LatencyHistogram {
    /** Upper bounds in seconds: fan-out is expected in the 0.1–10 ms range; the tail shows trouble. */
    private static final double[] BOUNDS_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5
    };

    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1]; // last: above every bound
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    public void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        buckets[i].increment();
        sumNanos.add(Math.max(0, nanos));
    }

    /** A consistent-enough copy for exposition (adders are read one after the other). */
    public Snapshot snapshot() {
        long[] cumulative = new long[BOUNDS_NANOS.length];
        long running = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        long count = running + buckets[BOUNDS_NANOS.length].sum();
        return new Snapshot(BOUNDS_SECONDS.clone(), cumulative, count, sumNanos.sum() / 1e9);
    }

    /** {@code cumulative[i]}: observations at or below {@code boundsSeconds[i]}; {@code count} includes those above all bounds. */
    public record Snapshot(double[] boundsSeconds, long[] cumulative, long count, double sumSeconds) {}
}
