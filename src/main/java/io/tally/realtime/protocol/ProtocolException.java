package io.tally.realtime.protocol;

/** A client frame that breaks the protocol; carries the code and request id for the error frame. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final Long requestId;

    public ProtocolException(ErrorCode code, Long requestId, String message) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    public Long requestId() {
        return requestId;
    }
}
