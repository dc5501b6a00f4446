package io.tally.realtime.transport;

/** Decides, before any work is done, whether a new connection or poll may proceed. */
public interface Admission {

    /** Returns null to admit, or the refusal to send. */
    Refusal check(String clientAddress, boolean webSocket);

    /** An HTTP refusal: status, stable code, a human message, and Retry-After seconds (0 for none). */
    record Refusal(int status, String code, String message, int retryAfterSeconds) {
    }
}
