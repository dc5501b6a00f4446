package io.tally.realtime.transport;

/**
 * One client connection as the protocol sees it, whatever carries it. A transport adapts its
 * socket to this shape; it knows nothing of rooms, offsets or frames' meaning.
 */
public interface Connection {
    /** "websocket" (polling has no long-lived connection). */
    String transport();

    /** The client's address (after trusted-proxy resolution), for limits and logs. */
    String clientAddress();

    /**
     * Whether the client accepts a text frame holding a JSON array of {@code message} frames
     * (it asked with {@code batch=1}); otherwise it gets one message per frame.
     */
    boolean acceptsBatches();

    /**
     * Queues a text frame for sending. Never blocks. Returns false when the outbound queue is full
     * (a slow consumer): the frame was not queued and the caller should close the connection.
     */
    boolean send(String frame);

    /**
     * Waits until at most {@code maxQueued} frames are waiting to be sent, or the timeout passes.
     * Returns false on timeout or when closed. For bulk senders (history replay) that must not
     * overrun the queue; live fan-out never waits.
     */
    boolean awaitCapacity(int maxQueued, long timeoutMillis) throws InterruptedException;

    /** Closes with a WebSocket close code and a short reason; asynchronous, idempotent. */
    void close(int code, String reason);
}
