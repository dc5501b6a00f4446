package io.tally.realtime.protocol;

/** Stable error codes of the wire protocol (docs/PROTOCOL.md). */
public enum ErrorCode {
    BAD_JSON("bad-json"),
    BAD_FRAME("bad-frame"),
    BAD_ROOM("bad-room"),
    UNKNOWN_ROOM("unknown-room"),
    BAD_POSITION("bad-position"),
    BAD_VERSION("bad-version"),
    TOO_MANY_ROOMS("too-many-rooms"),
    RATE_LIMITED("rate-limited"),
    UNAVAILABLE("unavailable"),
    ORIGIN_FORBIDDEN("origin-forbidden"),
    OVER_CAPACITY("over-capacity"),
    TOO_LARGE("too-large");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
