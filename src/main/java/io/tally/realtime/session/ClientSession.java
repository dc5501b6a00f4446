package io.tally.realtime.session;

import io.tally.realtime.Conflation;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.Message;
import io.tally.realtime.protocol.ClientFrame;
import io.tally.realtime.protocol.ErrorCode;
import io.tally.realtime.protocol.Frames;
import io.tally.realtime.protocol.ProtocolException;
import io.tally.realtime.transport.Connection;
import io.tally.realtime.transport.ConnectionHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The protocol state of one persistent connection: its subscriptions, heartbeat and request rate.
 * The transport underneath only moves frames.
 */
final class ClientSession implements ConnectionHandler.Inbound {
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_TRY_AGAIN = 1013;
    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_PROTOCOL = 1002;

    private final RealtimeCore core;
    private final Connection connection;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<Subscription> starts = new java.util.ArrayDeque<>(); // guarded by itself
    private final RateLimiter rate;
    private volatile long lastHeardNanos;
    private volatile long lastPingNanos;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private int strikes; // rate-limit violations; guarded by this
    private boolean started; // the welcome is queued; guarded by this
    private boolean toldToReconnect; // guarded by this

    ClientSession(RealtimeCore core, Connection connection, long nowNanos) {
        this.core = core;
        this.connection = connection;
        this.rate = new RateLimiter(core.config().requestsPerSecond(), nowNanos);
        this.lastHeardNanos = nowNanos;
        this.lastPingNanos = nowNanos;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void onStart() {
        synchronized (this) {
            send(core.welcome(connection.transport()));
            started = true;
            // A drain that began while this connection opened skipped it (no welcome yet): tell it now.
            if (core.isDraining()) tellToReconnect();
        }
    }

    /** Drain: tells the client, once, to reconnect elsewhere; never before its welcome (onStart then does). */
    synchronized void drain() {
        if (started) tellToReconnect();
    }

    private void tellToReconnect() { // the caller holds this
        if (toldToReconnect) return;
        toldToReconnect = true;
        send(Frames.reconnect(core.reconnectDelay()));
    }

    @Override
    public void onFrame(String text) {
        long now = System.nanoTime();
        lastHeardNanos = now;
        if (closed) return;
        core.metrics().framesIn.increment();
        if (!withinRate(now)) return;
        ClientFrame frame;
        try {
            frame = core.decoder().decode(text);
        } catch (ProtocolException e) {
            sendError(e.code(), e.requestId(), e.getMessage());
            if (e.code() == ErrorCode.BAD_VERSION) close(CLOSE_PROTOCOL, "bad-version");
            return;
        }
        if (frame instanceof ClientFrame.Subscribe s) {
            subscribe(s);
        } else if (frame instanceof ClientFrame.Unsubscribe u) {
            unsubscribe(u);
        } else if (frame instanceof ClientFrame.Ping p) {
            send(Frames.pong(p.id(), System.currentTimeMillis()));
        }
        // hello and pong only prove the peer is alive, which lastHeard already records.
    }

    private synchronized boolean withinRate(long now) {
        if (rate.tryAcquire(now)) return true;
        strikes++;
        core.metrics().rejected("rate-limited");
        if (strikes > core.config().requestsPerSecond() * 2) {
            close(CLOSE_POLICY, "rate-limited");
        } else {
            sendError(
                    ErrorCode.RATE_LIMITED,
                    null,
                    "too many requests: at most " + core.config().requestsPerSecond() + " per second");
        }
        return false;
    }

    private void subscribe(ClientFrame.Subscribe s) {
        Subscription previous = subscriptions.get(s.room());
        if (previous == null && subscriptions.size() >= core.config().maxRoomsPerConnection()) {
            sendError(
                    ErrorCode.TOO_MANY_ROOMS,
                    s.id(),
                    "at most " + core.config().maxRoomsPerConnection() + " rooms per connection");
            return;
        }
        if (previous != null) drop(previous);
        Subscription sub = new Subscription(this, s.room(), s.id(), s.since(), s.conflate());
        subscriptions.put(s.room(), sub);
        boolean first;
        synchronized (starts) {
            starts.add(sub);
            first = starts.size() == 1;
        }
        if (first) startNext();
    }

    /**
     * Subscriptions start one at a time per connection (a start may replay a long history), so one
     * client's subscribes take at most one worker at a time, and only while the broker answers.
     */
    private void startNext() {
        Subscription next;
        synchronized (starts) {
            next = starts.peek();
        }
        if (next != null)
            runOnWorker(() -> {
                if (isReachable(next)) next.start(core.hub(), core.replayReader());
            });
    }

    /** A subscription has gone live, failed or been cancelled: the next may start. */
    void started(Subscription sub) {
        synchronized (starts) {
            if (starts.peek() != sub) return;
            starts.poll();
        }
        startNext();
    }

    private void runOnWorker(Runnable task) {
        try {
            core.worker().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            close(CLOSE_GOING_AWAY, "going-away");
        }
    }

    /** Whether the room exists; if not, the subscription ends with an error, having allocated nothing. */
    private boolean isReachable(Subscription sub) {
        try {
            if (core.reachable(sub.room())) return true;
        } catch (UnavailableException e) {
            subscriptionFailed(sub, sub.requestId(), e);
            return false;
        }
        subscriptions.remove(sub.room(), sub);
        core.metrics().rejected(ErrorCode.UNKNOWN_ROOM.wire());
        send(Frames.error(ErrorCode.UNKNOWN_ROOM, sub.requestId(), sub.room(), "no such room"));
        started(sub);
        return false;
    }

    private void unsubscribe(ClientFrame.Unsubscribe u) {
        Subscription sub = subscriptions.get(u.room());
        if (sub != null) drop(sub);
        send(Frames.ack(u.id(), u.room(), null));
    }

    private void drop(Subscription sub) {
        subscriptions.remove(sub.room(), sub);
        sub.cancel();
        core.worker().execute(() -> core.hub().detach(sub.room(), sub));
    }

    void subscriptionFailed(Subscription sub, long requestId, UnavailableException e) {
        subscriptions.remove(sub.room(), sub);
        started(sub);
        sendError(ErrorCode.UNAVAILABLE, requestId, "room history is unavailable right now; subscribe again shortly");
    }

    /** Sends a frame; a full outbound queue means a slow consumer, which is disconnected to resume later. */
    boolean send(String frame) {
        return write(frame, false);
    }

    /** Sends a room's batch: as one frame to a client that accepts batches, else a frame per message. */
    boolean send(Batch batch) {
        return write(batch, false);
    }

    /** Sends a live batch from the fan-out, which may write it itself ({@link Connection#sendInline}). */
    boolean sendLive(Batch batch) {
        return write(batch, true);
    }

    private boolean write(Batch batch, boolean inline) {
        if (batch.size() == 1 || connection.acceptsBatches()) return write(batch.frame(), inline);
        for (Message m : batch.messages()) {
            if (!write(m.frame(), inline)) return false;
        }
        return true;
    }

    private boolean write(String frame, boolean inline) {
        if (closed) return false;
        if (inline ? connection.sendInline(frame) : connection.send(frame)) {
            core.metrics().framesOut.increment();
            return true;
        }
        slowConsumer();
        return false;
    }

    boolean acceptsBatches() {
        return connection.acceptsBatches();
    }

    /**
     * Frames queued beyond which the connection counts as backed up: its peer reads slower than it
     * is written to, and conflatable rooms hold their live messages back for it. A quarter of the
     * send queue (at least 8): a burst of messages that a fast reader takes at once stays below it.
     */
    int backedUpAt() {
        return Math.max(8, core.config().sendQueueLimit() / 4);
    }

    boolean isBackedUp() {
        return connection.queued() > backedUpAt();
    }

    /** Runs {@code step} on a worker once the queue has drained to half of {@link #backedUpAt} (now, if it has). */
    void whenDrained(Runnable step) {
        if (connection.roomNowOrLater(backedUpAt() / 2, () -> runOnWorker(step))) runOnWorker(step);
    }

    Conflation conflationOf(String room) {
        return core.conflationOf(room);
    }

    /** The room's viewer total to tell a new subscriber, or -1 (not counted, or not known yet). */
    long viewers(String room) {
        return core.audience().isCounted(room) ? core.audience().total(room) : -1;
    }

    void conflated() {
        core.metrics().conflated.increment();
    }

    /**
     * Whether a replay may send more now (half the queue stays free for live messages); if not, its
     * next step runs on a worker once there is room, and never if the connection closes.
     */
    boolean roomNowOrLater(Runnable nextStep) {
        return connection.roomNowOrLater(core.config().sendQueueLimit() / 2, () -> runOnWorker(nextStep));
    }

    void slowConsumer() {
        core.metrics().rejected("slow-consumer");
        close(CLOSE_TRY_AGAIN, "slow-consumer");
    }

    int bufferLimit() {
        return core.config().sendQueueLimit();
    }

    private void sendError(ErrorCode code, Long id, String message) {
        core.metrics().rejected(code.wire());
        send(Frames.error(code, id, message));
    }

    /** Heartbeat duty, called periodically: ping when due, close a peer silent for too long. */
    void tick(long now, long heartbeatNanos, long deadNanos) {
        if (closed) return;
        if (now - lastHeardNanos > deadNanos) {
            core.metrics().rejected("dead-peer");
            close(CLOSE_POLICY, "dead-peer");
        } else if (now - lastPingNanos >= heartbeatNanos) {
            lastPingNanos = now;
            send(Frames.ping(System.currentTimeMillis()));
        }
    }

    void close(int code, String reason) {
        connection.close(code, reason);
        release();
    }

    @Override
    public void onClose() {
        release();
    }

    private void release() {
        closed = true;
        if (!released.compareAndSet(false, true)) return;
        synchronized (starts) {
            starts.clear();
        }
        for (Subscription sub : subscriptions.values()) drop(sub);
        core.sessionClosed(this);
    }
}
