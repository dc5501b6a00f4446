package io.tally.realtime.transport;

/** The protocol side of long-polling, implemented by the real-time core. */
public interface PollHandler {

    /**
     * One poll: {@code body} is the request's JSON text ({@code null} for a GET probe). The handler
     * answers exactly once through {@code reply}, possibly later from another thread (the hold).
     */
    void poll(String body, String clientAddress, PollReply reply);

    /** The single answer to one poll. */
    interface PollReply {
        /** Sends a response; {@code retryAfterSeconds} > 0 adds a Retry-After header. */
        void send(int status, String contentType, String body, int retryAfterSeconds);
    }
}
