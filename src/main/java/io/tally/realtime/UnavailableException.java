package io.tally.realtime;

/**
 * The real-time core cannot accept or serve a request now (e.g. Redis unreachable). When thrown by a
 * publish, nothing was published and nothing will appear later: never accepted-then-lost.
 */
public class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnavailableException(String message) {
        super(message);
    }
}
