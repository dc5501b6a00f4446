package io.tally.realtime.transport.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket {@link Session} in memory, for the send pump's unit tests: asynchronous sends wait
 * until the test completes them ({@link #complete}); blocking sends are written at once, or after
 * {@link #blockingDelayMillis}. Only the calls the pump makes are answered.
 */
final class FakeSession {
    private final List<String> written = new ArrayList<>(); // guarded by this
    private final List<SendHandler> inFlight = new ArrayList<>(); // guarded by this
    private final List<Thread> blockingWriters = new ArrayList<>(); // guarded by this
    private final Map<String, Object> userProperties = new HashMap<>();
    private CloseReason closed; // guarded by this
    volatile long blockingDelayMillis;

    final Session session = proxy(Session.class, (name, args) -> switch (name) {
        case "getUserProperties" -> userProperties;
        case "getAsyncRemote" ->
            proxy(RemoteEndpoint.Async.class, (n, a) -> {
                if (n.equals("sendText") && a.length == 2) asyncSend((String) a[0], (SendHandler) a[1]);
                return null;
            });
        case "getBasicRemote" ->
            proxy(RemoteEndpoint.Basic.class, (n, a) -> {
                if (n.equals("sendText") && a.length == 1) blockingSend((String) a[0]);
                return null;
            });
        case "isOpen" -> isOpen();
        case "close" -> {
            close(args == null || args.length == 0 ? null : (CloseReason) args[0]);
            yield null;
        }
        default -> throw new UnsupportedOperationException(name);
    });

    private interface Call {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        return type.cast(Proxy.newProxyInstance(
                FakeSession.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> type.getSimpleName() + " (fake)";
                    default -> call.answer(m.getName(), a);
                }));
    }

    private synchronized void asyncSend(String frame, SendHandler done) {
        written.add(frame);
        inFlight.add(done);
    }

    private void blockingSend(String frame) throws InterruptedException {
        long delay = blockingDelayMillis;
        if (delay > 0) Thread.sleep(delay); // a peer whose socket buffer is full
        synchronized (this) {
            written.add(frame);
            blockingWriters.add(Thread.currentThread());
        }
    }

    private synchronized boolean isOpen() {
        return closed == null;
    }

    private synchronized void close(CloseReason why) {
        if (closed == null) closed = why == null ? new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "") : why;
    }

    /** Finishes the oldest asynchronous send in flight; false if there is none. */
    boolean complete(boolean ok) {
        SendHandler done;
        synchronized (this) {
            if (inFlight.isEmpty()) return false;
            done = inFlight.remove(0);
        }
        done.onResult(ok ? new SendResult() : new SendResult(new java.io.IOException("peer gone")));
        return true;
    }

    /** Completes every asynchronous send, including those the completions start. */
    void completeAll() {
        while (complete(true)) {
            // the pump starts the next queued frame from each completion
        }
    }

    synchronized List<String> written() {
        return List.copyOf(written);
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    synchronized List<Thread> blockingWriters() {
        return List.copyOf(blockingWriters);
    }

    synchronized CloseReason closed() {
        return closed;
    }
}
