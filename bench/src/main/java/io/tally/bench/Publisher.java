package io.tally.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publishes R messages/s for D s on its own thread, catching up with the schedule when the thread
 * wakes late (as the peers' publishers do), so the offered rate holds under load. Each payload is
 * ~100 bytes of JSON with a sequence number {@code seq} (1..R*D) and the send time {@code t} in ms
 * since the epoch with sub-ms precision: the same shape as the Socket.IO peer's.
 */
public final class Publisher {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running;

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public boolean running() {
        return running;
    }

    /** Starts publishing in the background; returns at once. A second call while running is refused. */
    public synchronized boolean start(double rate, double durationSeconds, Consumer<String> publish) {
        if (running) return false;
        running = true;
        sent.set(0);
        failed.set(0);
        long total = Math.round(rate * durationSeconds);
        Thread t = new Thread(() -> run(rate, total, publish), "bench-publisher");
        t.setDaemon(true);
        t.start();
        return true;
    }

    private void run(double rate, long total, Consumer<String> publish) {
        try {
            long start = System.nanoTime();
            double periodNanos = 1e9 / rate;
            long n = 0;
            while (n < total) {
                long due = Math.min(total, (long) ((System.nanoTime() - start) / periodNanos) + 1);
                while (n < due) {
                    n++;
                    try {
                        publish.accept(payload(n));
                        sent.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
                long next = start + (long) (n * periodNanos);
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
        }
    }

    /** Milliseconds since the epoch, sub-ms precision (the clock's microseconds). */
    public static double epochMillis() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    static String payload(long seq) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"seq\":").append(seq).append(",\"t\":");
        appendMillis(sb, epochMillis());
        sb.append(",\"game\":\"game-1\",\"home\":\"Harbour City\",\"away\":\"Northside\",\"hs\":")
                .append(seq % 120)
                .append(",\"as\":")
                .append((seq * 7) % 110)
                .append('}');
        return sb.toString();
    }

    /** Writes ms with three decimals (microseconds), never in exponent notation. */
    static void appendMillis(StringBuilder sb, double ms) {
        long micros = Math.round(ms * 1000);
        sb.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }
}
