package io.tally.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: tests wait for what they expect, never for a fixed time. */
public final class Await {
    private Await() {}

    /** A condition that may throw while the thing it watches is still starting. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; an {@link AssertionError} with {@code failure}'s text when {@code timeout} passes first. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        Exception last = poll(timeout, condition::getAsBoolean);
        if (last != NOT_YET) return;
        throw new AssertionError("timed out after " + timeout + ": " + failure.get());
    }

    /**
     * Returns once {@code condition} holds; throws {@link IllegalStateException} naming {@code what}
     * and the condition's last failure when {@code timeout} passes first.
     */
    public static void until(String what, Duration timeout, Condition condition) {
        Exception last = poll(timeout, condition);
        if (last == null) return;
        throw new IllegalStateException(
                "timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (last == NOT_YET ? "" : " (last error: " + last + ")"),
                last == NOT_YET ? null : last);
    }

    /** Like {@link #until(String, Duration, Condition)} but returns the first non-null value {@code probe} produces. */
    public static <T> T value(String what, Duration timeout, Callable<T> probe) {
        Object[] box = new Object[1];
        until(what, timeout, () -> (box[0] = probe.call()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    /** Stands for "the deadline passed with the condition false, not throwing". */
    private static final Exception NOT_YET = new Exception("not yet");

    /** Null when the condition held; otherwise its last exception, or {@link #NOT_YET}. */
    private static Exception poll(Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        while (true) {
            Exception last = NOT_YET;
            try {
                if (condition.holds()) return null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) return last;
            try {
                Thread.sleep(pauseMillis); // grows to 200 ms so a slow start costs little CPU
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
            pauseMillis = Math.min(200, pauseMillis * 2);
        }
    }
}
