package io.tally.bench;

/**
 * What one event loop has seen: a latency histogram (0.1 ms buckets up to 20 s, as the Node
 * generator keeps it) and loss/duplicate/order counters. Written by its loop thread only; the totals
 * are read by the progress printer (a stale read there is harmless) and merged at the end.
 */
final class Recorder {
    static final int BUCKETS = 200_001;

    final int[] hist = new int[BUCKETS];
    volatile long total;
    long duplicated;
    long outOfOrder;
    long gaps; // messages skipped between two received ones (a viewer's final shortfall is added at the end)
    long resets;
    long errors;
    long serverCloses;
    long pollResponses;
    long pollReconnects;
    long pollErrors;
    volatile long lastDeliveryNanos;
    /** Bytes read from the viewers' sockets (compressed when deflate was negotiated), all included. */
    volatile long bytesIn;
    /** Bytes of message and batch frames' text after inflating (what the server encoded). */
    volatile long payloadBytes;

    long snapshotBytes;

    /** Records one delivery of message {@code seq}, sent at {@code sentMs}, seen at {@code nowMs} (both epoch ms). */
    void message(Viewers shared, int viewer, long seq, double sentMs, double nowMs, long nowNanos) {
        total++;
        double lat = nowMs - sentMs;
        int bucket = lat <= 0 ? 0 : (int) Math.min(BUCKETS - 1, Math.round(lat * 10));
        hist[bucket]++;
        int last = shared.lastSeq[viewer];
        shared.received[viewer]++;
        if (seq <= last) {
            if (seq == last) duplicated++;
            else outOfOrder++;
        } else {
            if (seq > last + 1) gaps += seq - last - 1;
            shared.lastSeq[viewer] = (int) seq;
        }
        lastDeliveryNanos = nowNanos;
    }

    static double percentile(int[] hist, long count, double q) {
        if (count == 0) return Double.NaN;
        long want = (long) Math.ceil(q * count);
        if (want < 1) want = 1;
        long acc = 0;
        for (int b = 0; b < hist.length; b++) {
            acc += hist[b];
            if (acc >= want) return b / 10.0;
        }
        return Double.NaN;
    }
}
