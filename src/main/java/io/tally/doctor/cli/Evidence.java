package io.tally.doctor.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the checks learn about the deployment and pass on to the later checks. */
final class Evidence {
    Map<String, Object> config;
    String configProblem;
    Map<String, Object> whoami;
    Map<String, Object> redis;
    String redisProblem;
    /** The WebSocket the first check opened, kept for the round trips, idle and capacity checks. */
    ProbeSocket socket;

    String wsInstance;
    Number heartbeat;
    final List<String> pollInstances = new ArrayList<>();
    final List<Long> pollRtts = new ArrayList<>();
    final List<Long> wsRtts = new ArrayList<>();

    /** Every instance that answered a transport. */
    Set<String> instancesSeen() {
        Set<String> all = new LinkedHashSet<>(pollInstances);
        if (wsInstance != null) all.add(wsInstance);
        return all;
    }

    /** The instances the broker saw recently (/doctor/api/redis). */
    List<String> instancesSeenByBroker() {
        List<String> ids = new ArrayList<>();
        if (redis != null && redis.get("instances") instanceof List<?> list) {
            for (Object o : list) if (o instanceof Map<?, ?> m) ids.add(String.valueOf(m.get("id")));
        }
        return ids;
    }
}
