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

    Viewers(int n) {
        this.n = n;
        this.lastSeq = new int[n];
        this.received = new int[n];
    }

    void failed(String why) {
        if (firstFailure == null) firstFailure = why;
        failed.incrementAndGet();
    }
}
