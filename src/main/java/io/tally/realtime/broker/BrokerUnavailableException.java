package io.tally.realtime.broker;

/** The broker cannot accept or serve a request now (e.g. Redis unreachable). Nothing was published. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerUnavailableException(String message) {
        super(message);
    }
}
