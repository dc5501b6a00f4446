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
     * Like {@link #send}, but the calling thread may write the frame itself, blocking for at most the
     * send timeout, when nothing else is waiting. For the fan-out, whose threads exist to write;
     * cheaper than a queued send where the container completes asynchronous sends on another thread.
     * Returns false when the frame could not be sent or queued: the caller closes the connection.
     */
    boolean sendInline(String frame);

    /**
     * True when at most {@code maxQueued} frames wait to be sent now. Otherwise false, and
     * {@code later} runs once that holds, from whichever thread drains the queue (keep it short:
     * hand real work on); never once the connection is closed. Several may wait at once. For bulk senders (history replay),
     * which must not overrun the queue and must not hold a thread while the client reads.
     */
    boolean roomNowOrLater(int maxQueued, Runnable later);

    /** Frames waiting to be sent now: more than a few means the peer reads slower than it is written to. */
    int queued();

    /** Closes with a WebSocket close code and a short reason; asynchronous, idempotent. */
    void close(int code, String reason);
}
