package io.tally.realtime.transport;

/**
 * Decides, before any work is done, whether a new connection or poll may proceed. Admitting reserves
 * a slot for the client's address at once, so parallel requests cannot all pass one check.
 */
public interface Admission {

    /**
     * Returns null to admit, having reserved a slot for the address, or the refusal to send (nothing
     * reserved). The caller gives the slot back with {@link #release}, or, for a WebSocket upgrade it
     * announced with {@link #expectConnection}, the connection keeps it until it closes.
     */
    Refusal check(String clientAddress, boolean webSocket);

    /** The next connection opened from this address takes over a slot reserved by {@link #check}. */
    void expectConnection(String clientAddress);

    /** The announced connection will not open (the upgrade failed): forget the announcement. */
    void cancelConnection(String clientAddress);

    /** Gives back a slot reserved by {@link #check}. */
    void release(String clientAddress);

    /** An HTTP refusal: status, stable code, a human message, and Retry-After seconds (0 for none). */
    record Refusal(int status, String code, String message, int retryAfterSeconds) {}
}
