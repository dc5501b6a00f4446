package io.tally.realtime.transport;

/** The protocol side of a persistent connection, implemented by the real-time core. */
public interface ConnectionHandler {

    /**
     * A connection was opened. Returns what receives its frames, or null when the connection was
     * refused (the handler has already closed it with a reason).
     */
    Inbound open(Connection connection);

    /** Frames and the end of one connection, in the order the transport saw them. */
    interface Inbound {
        /**
         * The transport is ready to deliver frames (its handlers are in place): the protocol may
         * now greet the client, who answers straight away.
         */
        void onStart();

        void onFrame(String text);

        void onClose();
    }
}
