package io.tally.standin;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes: the stand-in never sleeps and hopes. */
public final class Await {
    private Await() {}

    /** A condition that may throw while the thing it watches is still starting. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Returns once {@code condition} holds; throws {@link IllegalStateException} naming {@code what}
     * and the last failure when {@code timeout} passes first.
     */
    public static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        long pauseMillis = 20;
        while (true) {
            try {
                if (condition.holds()) return;
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(
                        "timed out after " + timeout.toMillis() + " ms waiting for " + what
                                + (last == null ? "" : " (last error: " + last + ")"),
                        last);
            }
            try {
                Thread.sleep(pauseMillis); // poll interval, grows to 200 ms so a slow start costs little CPU
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            pauseMillis = Math.min(200, pauseMillis * 2);
        }
    }

    /** Like {@link #until} but returns the first non-null value {@code probe} produces. */
    public static <T> T value(String what, Duration timeout, Callable<T> probe) {
        Object[] box = new Object[1];
        until(what, timeout, () -> (box[0] = probe.call()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
