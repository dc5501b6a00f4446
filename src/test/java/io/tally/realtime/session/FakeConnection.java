package io.tally.realtime.session;

import io.tally.realtime.transport.Connection;
import io.tally.testing.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link Connection} in memory, for the unit tier: frames the protocol sends are kept in order;
 * the test decides how many it "reads" ({@link #pause}, {@link #readAll}), so queues, replays and
 * slow consumers can be driven without sockets. Waits have deadlines.
 */
final class FakeConnection implements Connection {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final boolean batches;
    private final int queueLimit;
    private final List<String> delivered = new ArrayList<>(); // guarded by this
    private final List<String> queued = new ArrayList<>(); // sent but not yet "read"; guarded by this
    private boolean paused; // guarded by this
    private final List<Runnable> waiting = new ArrayList<>(); // guarded by this
    private Integer closeCode; // guarded by this
    private String closeReason; // guarded by this
    private int inlineSends; // guarded by this
    private int next; // frames handed to the test so far; guarded by this
    private io.tally.realtime.transport.ConnectionHandler.Inbound inbound; // guarded by this

    FakeConnection(boolean batches, int queueLimit) {
        this.batches = batches;
        this.queueLimit = queueLimit;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public String clientAddress() {
        return "127.0.0.1";
    }

    @Override
    public boolean acceptsBatches() {
        return batches;
    }

    @Override
    public synchronized boolean send(String frame) {
        if (closeCode != null) return true;
        if (paused) {
            if (queued.size() >= queueLimit) return false;
            queued.add(frame);
        } else {
            delivered.add(frame);
        }
        notifyAll();
        return true;
    }

    @Override
    public boolean sendInline(String frame) {
        synchronized (this) {
            inlineSends++;
        }
        return send(frame);
    }

    @Override
    public synchronized boolean roomNowOrLater(int maxQueued, Runnable later) {
        if (closeCode != null) return false;
        if (queued.size() <= maxQueued) return true;
        waiting.add(later);
        return false;
    }

    @Override
    public synchronized int queued() {
        return queued.size();
    }

    @Override
    public void close(int code, String reason) {
        io.tally.realtime.transport.ConnectionHandler.Inbound in;
        synchronized (this) {
            if (closeCode != null) return;
            closeCode = code;
            closeReason = reason;
            waiting.clear();
            in = inbound;
            notifyAll();
        }
        if (in != null) in.onClose(); // as a container reports the closed socket
    }

    /** Who hears of the close, as the transport's handler does. */
    synchronized void attach(io.tally.realtime.transport.ConnectionHandler.Inbound in) {
        inbound = in;
    }

    /** The client stops reading: frames pile up in the send queue. */
    synchronized void pause() {
        paused = true;
    }

    /** The client reads everything queued and keeps reading. */
    void readAll() {
        List<Runnable> r;
        synchronized (this) {
            paused = false;
            delivered.addAll(queued);
            queued.clear();
            r = List.copyOf(waiting);
            waiting.clear();
            notifyAll();
        }
        r.forEach(Runnable::run);
    }

    /** The client reads the {@code n} oldest queued frames and then stops reading again. */
    void read(int n) {
        List<Runnable> r;
        synchronized (this) {
            int k = Math.min(n, queued.size());
            delivered.addAll(queued.subList(0, k));
            queued.subList(0, k).clear();
            r = List.copyOf(waiting);
            waiting.clear();
            notifyAll();
        }
        r.forEach(Runnable::run); // each re-checks and waits again if there is still no room
    }

    synchronized int queuedCount() {
        return queued.size();
    }

    synchronized int inlineSends() {
        return inlineSends;
    }

    synchronized Integer closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    /** The next delivered frame matching, parsed (arrays as a batch), or fails after the deadline. */
    synchronized Object nextMatching(Predicate<Object> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            while (next < delivered.size()) {
                Object f = parse(delivered.get(next++));
                if (match.test(f)) return f;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no matching frame within " + WAIT + "; got " + delivered);
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    Map<String, Object> nextOfType(String type) {
        return Frames.map(nextMatching(f -> f instanceof Map<?, ?> m && type.equals(m.get("type"))));
    }

    /** Every frame delivered so far, parsed, with batches flattened into their messages. */
    synchronized List<Map<String, Object>> deliveredFlat() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String f : delivered) {
            Object o = parse(f);
            if (o instanceof List<?> l) {
                for (Object m : l) out.add(Frames.map(m));
            } else {
                out.add(Frames.map(o));
            }
        }
        return out;
    }

    synchronized List<String> deliveredRaw() {
        return List.copyOf(delivered);
    }

    private static Object parse(String frame) {
        return io.tally.json.Json.parse(frame);
    }
}
