package io.tally;

import io.tally.concurrent.DaemonThreads;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Notices that the load balancer has stopped health-checking this instance, which is what an ALB
 * does with a target it deregisters: it sends it nothing new and waits the deregistration delay
 * before cutting what is still open. Beanstalk stops Tomcat only after that, so the drain on stop
 * comes too late to move anyone; this moves the WebSocket viewers inside the delay instead, each
 * told to reconnect after a random delay within the drain window.
 *
 * <p>Armed only once a few checks have arrived (an instance without a balancer never fires), and
 * it waits for the longer of the configured silence and twice the longest gap seen between checks,
 * so a slower check interval cannot trip it. After firing it disarms until checks come back: if
 * the silence was something else, the cost is one spread-out reconnect of this instance's viewers.
 */
final class BalancerSilence implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BalancerSilence.class.getName());
    /** The User-Agent of the ALB's health checks; other callers of /healthz (monitors, people) do not count. */
    static final String CHECKER = "ELB-HealthChecker";

    static final int ARM_AFTER = 3;

    private final long silenceNanos;
    private final LongSupplier clock;
    private long lastNanos;
    private long longestGapNanos;
    private int seen;
    private ScheduledExecutorService timer;

    BalancerSilence(long silenceMillis, LongSupplier clock) {
        this.silenceNanos = TimeUnit.MILLISECONDS.toNanos(silenceMillis);
        this.clock = clock;
    }

    /** Starts watching; {@code onSilence} runs on the watcher's thread each time the checks stop. */
    static BalancerSilence start(long silenceMillis, Runnable onSilence) {
        BalancerSilence s = new BalancerSilence(silenceMillis, System::nanoTime);
        if (silenceMillis <= 0) return s; // switched off: checks are still counted, nothing fires
        s.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-balancer-silence"));
        long tick = Math.max(50, Math.min(1_000, silenceMillis / 4));
        s.timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (s.silent()) onSilence.run();
                    } catch (RuntimeException e) {
                        LOG.warning("acting on the balancer's silence failed: " + e);
                    }
                },
                tick,
                tick,
                TimeUnit.MILLISECONDS);
        return s;
    }

    static boolean isHealthCheck(String userAgent) {
        return userAgent != null && userAgent.startsWith(CHECKER);
    }

    /** A health check from the balancer arrived. */
    synchronized void checked() {
        long now = clock.getAsLong();
        if (seen > 0) longestGapNanos = Math.max(longestGapNanos, now - lastNanos);
        lastNanos = now;
        seen++;
    }

    /** True once when the checks have stopped (then disarmed until they come back). */
    synchronized boolean silent() {
        if (seen < ARM_AFTER) return false;
        long quiet = clock.getAsLong() - lastNanos;
        if (quiet < Math.max(silenceNanos, 2 * longestGapNanos)) return false;
        LOG.info("no health check from the load balancer for " + TimeUnit.NANOSECONDS.toMillis(quiet)
                + " ms (longest gap before: " + TimeUnit.NANOSECONDS.toMillis(longestGapNanos)
                + " ms): it is deregistering this instance");
        seen = 0;
        longestGapNanos = 0;
        return true;
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
