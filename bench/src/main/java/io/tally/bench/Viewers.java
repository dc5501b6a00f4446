package io.tally.bench;

import java.util.concurrent.atomic.AtomicInteger;

/** State shared by all viewers of a run, indexed by viewer number. */
final class Viewers {
    final int n;
    final int[] lastSeq;
    final int[] received;
    final AtomicInteger joined = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    volatile String firstFailure;
    /** Viewers per negotiated Sec-WebSocket-Extensions answer ("none" when the server declined or nothing was offered). */
    final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> extensions =
            new java.util.concurrent.ConcurrentHashMap<>();

    Viewers(int n) {
        this.n = n;
        this.lastSeq = new int[n];
        this.received = new int[n];
    }

    void extension(String value) {
        extensions.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
    }

    void failed(String why) {
        if (firstFailure == null) firstFailure = why;
        failed.incrementAndGet();
    }
}
