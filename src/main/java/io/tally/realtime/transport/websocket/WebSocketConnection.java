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
 * A WebSocket session as a {@link Connection}: a bounded outbound queue with one asynchronous send
 * in flight (never blocking the publisher's thread). When the queue is full the peer is too slow:
 * {@link #send} says so and the protocol closes the connection; the client resumes from its offsets.
 */
final class WebSocketConnection implements Connection, SendHandler {

    private final Session session;
    private final String clientAddress;
    private final boolean acceptsBatches;
    private final int queueLimit;
    private final Executor closer;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean sending; // a frame is in flight; guarded by this
    private Thread sender; // the thread inside sendText, if any; guarded by this
    private boolean closed;

    WebSocketConnection(Session session, String clientAddress, boolean acceptsBatches, int queueLimit, Executor closer) {
        this.session = session;
        this.clientAddress = clientAddress;
        this.acceptsBatches = acceptsBatches;
        this.queueLimit = queueLimit;
        this.closer = closer;
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
            if (sending) return true;
        }
        pump();
        return true;
    }

    @Override
    public synchronized boolean awaitCapacity(int maxQueued, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!closed && queue.size() > maxQueued) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return false;
            wait(left);
        }
        return !closed;
    }

    /**
     * Sends queued frames, one in flight at a time ({@code sending}). Any thread may drive it; the
     * thread inside {@code sendText} is remembered so that a completion arriving inline on it only
     * clears {@code sending} and lets its loop continue, rather than recursing. A completion on any
     * other thread drives the queue itself, so progress never depends on one thread returning from
     * the container (Tyrus has been seen to complete a send inline and then not return promptly).
     */
    private void pump() {
        Thread me = Thread.currentThread();
        while (true) {
            String next;
            synchronized (this) {
                next = sending || closed ? null : queue.poll();
                if (next == null) return;
                sending = true;
                sender = me;
            }
            try {
                session.getAsyncRemote().sendText(next, this);
            } catch (RuntimeException e) {
                onResult(new SendResult(e));
            } finally {
                synchronized (this) {
                    if (sender == me) sender = null;
                }
            }
        }
    }

    @Override
    public void onResult(SendResult result) {
        boolean inline;
        synchronized (this) {
            sending = false;
            inline = sender == Thread.currentThread();
            notifyAll(); // a history replay may be waiting for room in the queue
        }
        if (!result.isOK()) {
            close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "send failed");
            return;
        }
        if (!inline) pump(); // inline: the sending thread's loop goes on by itself
    }

    @Override
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) return;
            closed = true;
            queue.clear();
            notifyAll();
        }
        // Closing can block on a stuck peer: never on the caller's (possibly the publisher's) thread.
        closer.execute(() -> {
            try {
                if (session.isOpen()) session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException | RuntimeException ignored) {
                // The peer is gone already; nothing to tell it.
            }
        });
    }
}
