package io.tally.realtime.transport.websocket;

import io.tally.realtime.transport.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * A WebSocket session as a {@link Connection}: a bounded outbound queue, one frame being written at
 * a time. Two ways to write, both standard JSR-356:
 * <ul>
 * <li><b>inline</b> ({@link #sendInline}, the fan-out only): a blocking send on the calling thread
 * when nothing else is queued. On Tomcat an asynchronous send hands its completion to a container
 * thread, which costs more than the write itself; a blocking send completes on the writer's thread.
 * Only where the container bounds a blocking send (Tomcat's documented {@code BLOCKING_SEND_TIMEOUT}
 * user property) and while the {@link StallGuard} allows. A peer whose write blocks is slow: it is
 * written to asynchronously from then on, or closed when the timeout passes (it resumes from its
 * offsets, nothing is lost).</li>
 * <li><b>queued</b> (everything else: welcome, acks, replays, pings): asynchronous sends, never
 * blocking the caller. When the queue is full the peer is too slow: the caller is told and the
 * protocol closes the connection.</li>
 * </ul>
 */
final class WebSocketConnection implements Connection, SendHandler {
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /** Longer than any honest reader needs for one frame; the heartbeat's dead-peer time is 45 s. */
    private static final long ASYNC_SEND_TIMEOUT_MILLIS = 60_000;

    private final Session session;
    private final String clientAddress;
    private final boolean acceptsBatches;
    private final int queueLimit;
    private final Executor closer;
    private final StallGuard stalls;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean inlineCapable; // guarded by this: false once this peer has been slow
    private boolean writing; // a frame is being written, inline or asynchronously; guarded by this
    private Thread sender; // the thread inside an asynchronous sendText, if any; guarded by this
    private boolean closed; // no more frames are accepted; guarded by this
    private CloseReason closeAfterDrain; // a close waiting for the last few frames to leave; guarded by this
    /** Steps waiting for the queue to shrink (a replay, a conflating subscription); guarded by this. */
    private final java.util.List<Waiter> waiters = new java.util.ArrayList<>(2);

    private record Waiter(int at, Runnable step) {}

    /** {@code inlineSends}: inline writes allowed; only where the container bounds them ({@link #boundsBlockingSends}). */
    WebSocketConnection(
            Session session,
            String clientAddress,
            boolean acceptsBatches,
            int queueLimit,
            boolean inlineSends,
            int sendTimeoutMillis,
            Executor closer,
            StallGuard stalls) {
        this.session = session;
        this.clientAddress = clientAddress;
        this.acceptsBatches = acceptsBatches;
        this.queueLimit = queueLimit;
        this.closer = closer;
        this.stalls = stalls;
        this.inlineCapable = inlineSends;
        if (inlineCapable) session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, (long) sendTimeoutMillis);
        // A write that a peer never reads fails after this, so a close waiting behind it still happens.
        session.getAsyncRemote().setSendTimeout(ASYNC_SEND_TIMEOUT_MILLIS);
    }

    /** Tomcat's blocking sends honour a timeout; another container's may block for ever. */
    static boolean boundsBlockingSends(Session session) {
        return session.getClass().getName().startsWith("org.apache.tomcat.websocket.");
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public boolean acceptsBatches() {
        return acceptsBatches;
    }

    @Override
    public boolean send(String frame) {
        synchronized (this) {
            if (closed) return true;
            if (queue.size() >= queueLimit) return false;
            queue.add(frame);
            if (writing) return true;
        }
        pump();
        return true;
    }

    @Override
    public boolean sendInline(String frame) {
        long start = System.nanoTime();
        synchronized (this) {
            if (closed) return true;
            boolean inline = !writing && queue.isEmpty() && inlineCapable && stalls.allowsInline(start);
            if (!inline) {
                if (queue.size() >= queueLimit) return false;
                queue.add(frame);
                if (writing) return true;
                frame = null;
            } else {
                writing = true; // other threads queue behind this write
            }
        }
        if (frame != null && !writeInline(frame, start)) return false;
        pump();
        return true;
    }

    /** A blocking write on this thread, outside the lock; false when it failed (the container closed the session). */
    private boolean writeInline(String frame, long start) {
        boolean ok;
        try {
            session.getBasicRemote().sendText(frame);
            ok = true;
        } catch (IOException | RuntimeException e) {
            ok = false;
        }
        long now = System.nanoTime();
        boolean slow = stalls.record(now - start, now);
        synchronized (this) {
            writing = false;
            if (slow) inlineCapable = false; // slow once: asynchronous from now on
            if (!ok) {
                closed = true;
                queue.clear();
                waiters.clear();
            }
        }
        return ok;
    }

    @Override
    public synchronized boolean roomNowOrLater(int maxQueued, Runnable later) {
        if (closed) return false;
        if (queue.size() <= maxQueued) return true;
        waiters.add(new Waiter(maxQueued, later));
        return false;
    }

    @Override
    public synchronized int queued() {
        return queue.size();
    }

    /**
     * Sends queued frames asynchronously, one in flight at a time ({@code writing}). Any thread may
     * drive it; the thread inside {@code sendText} is remembered so that a completion arriving inline
     * on it only clears {@code writing} and lets its loop continue, rather than recursing. A completion
     * on any other thread drives the queue itself, so progress never depends on one thread returning
     * from the container (Tyrus can complete a send inline and then not return promptly).
     */
    private void pump() {
        Thread me = Thread.currentThread();
        while (true) {
            String next;
            java.util.List<Runnable> room;
            synchronized (this) {
                room = roomIfDue();
                next = writing || (closed && closeAfterDrain == null) ? null : queue.poll();
                if (next == null && !writing && closeAfterDrain != null) {
                    closeNow(closeAfterDrain);
                    closeAfterDrain = null;
                }
                if (next != null) {
                    writing = true;
                    sender = me;
                }
            }
            if (room != null) room.forEach(Runnable::run);
            if (next == null) return;
            try {
                session.getAsyncRemote().sendText(next, this);
            } catch (RuntimeException e) {
                sent(false);
            } finally {
                synchronized (this) {
                    if (sender == me) sender = null;
                }
            }
        }
    }

    /** The waiting steps the queue now has room for, or null; the caller holds this. */
    private java.util.List<Runnable> roomIfDue() {
        if (waiters.isEmpty() || closed) return null;
        java.util.List<Runnable> due = null;
        for (java.util.Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
            Waiter w = i.next();
            if (queue.size() > w.at()) continue;
            i.remove();
            if (due == null) due = new java.util.ArrayList<>(2);
            due.add(w.step());
        }
        return due;
    }

    @Override
    public void onResult(SendResult result) {
        sent(result.isOK());
    }

    /** One send finished, from the container's callback or a send that threw. */
    private void sent(boolean ok) {
        boolean inline;
        synchronized (this) {
            writing = false;
            inline = sender == Thread.currentThread();
        }
        if (!ok) {
            CloseReason pending;
            synchronized (this) {
                pending = closeAfterDrain;
                closeAfterDrain = null;
                queue.clear();
            }
            if (pending != null) closeNow(pending); // the peer is stuck: close without the rest
            else close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "send failed");
            return;
        }
        if (!inline) pump(); // inline: the sending thread's loop goes on by itself
    }

    /** Frames still queued at a close that are sent first (an error explaining the close); more means a slow peer. */
    private static final int DRAIN_ON_CLOSE = 8;

    @Override
    public void close(int code, String reason) {
        CloseReason why = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
        synchronized (this) {
            if (closed) return;
            closed = true;
            waiters.clear();
            if ((writing || !queue.isEmpty()) && queue.size() <= DRAIN_ON_CLOSE) {
                // The pump sends what is queued, then closes; a peer that never reads is cut by the
                // asynchronous send timeout, which fails the write in flight.
                closeAfterDrain = why;
                if (writing) return;
            } else {
                queue.clear();
                closeNow(why);
                return;
            }
        }
        pump();
    }

    /** Closing can block on a stuck peer: never on the caller's (possibly the fan-out's) thread. */
    private void closeNow(CloseReason why) {
        closer.execute(() -> {
            try {
                if (session.isOpen()) session.close(why);
            } catch (IOException | RuntimeException ignored) {
                // The peer is gone already; nothing to tell it.
            }
        });
    }
}
