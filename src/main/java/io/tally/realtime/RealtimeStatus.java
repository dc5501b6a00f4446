package io.tally.realtime;

import java.util.Map;

/** A snapshot of the core's health and load, for readiness checks, the doctor and metrics. */
public record RealtimeStatus(
        String instanceId,
        boolean draining,
        String brokerMode,
        boolean brokerAvailable,
        String brokerDetail,
        long brokerLagMillis,
        long brokerReconnects,
        int webSocketConnections,
        int pollsWaiting,
        int activeRooms,
        long messagesPublished,
        long framesIn,
        long framesOut,
        Map<String, Long> rejected) {}
