package io.tally.realtime.broker.redis;

/**
 * The broker's clocks. {@code commandMillis} bounds each Redis connect and reply (so calls fail fast
 * while Redis is unreachable); every {@code heartbeatMillis} each subscriber connection is sent a
 * heartbeat through Redis, and one that hears nothing for three heartbeats is presumed dead (a
 * half-open TCP connection never errors by itself); {@code watchMillis} bounds the wait for a
 * subscription's confirmation.
 */
record Timing(int commandMillis, long heartbeatMillis, long watchMillis) {
    static final Timing DEFAULT = new Timing(2_000, 5_000, 5_000);

    long silenceLimitMillis() {
        return 3 * heartbeatMillis;
    }
}
