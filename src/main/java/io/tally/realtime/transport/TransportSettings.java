package io.tally.realtime.transport;

import io.tally.realtime.ClientAddress;
import io.tally.realtime.OriginPolicy;

/**
 * What the transports need to know: size limits, timeouts and the gatekeeping rules. Built by the
 * core from its configuration so the transports never read configuration themselves.
 */
public record TransportSettings(
        int maxFrameBytes,
        int sendQueueLimit,
        long pollTimeoutMillis,
        long pollBodyMillis,
        OriginPolicy origins,
        ClientAddress clientAddress,
        boolean compression,
        boolean inlineSends,
        int sendTimeoutMillis) {}
