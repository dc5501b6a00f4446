package io.tally.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for Tally's own pools. Daemon threads, so a pool left open never keeps a JVM
 * (a test, the CLI) alive; named, so a thread dump and Tomcat's leak report say whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Every thread named {@code name}: for single-thread executors. */
    public static ThreadFactory named(String name) {
        return r -> daemon(new Thread(r, name));
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ...: for pools. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(new Thread(r, prefix + "-" + n.incrementAndGet()));
    }

    private static Thread daemon(Thread t) {
        t.setDaemon(true);
        return t;
    }
}
