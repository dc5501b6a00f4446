package io.tally.doctor.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code config} and {@code redis} checks: verdicts the server judged itself (its timing
 * against the idle timeouts, its broker), shown with what the transports saw.
 */
final class ServerChecks {
    private ServerChecks() {}

    static Result config(Evidence seen) {
        Map<String, Object> config = seen.config;
        if (config == null || !(config.get("verdict") instanceof Map<?, ?> v)) {
            return Result.of(
                    "config",
                    "doctor.unreachable",
                    "Could not read /doctor/api/config (" + seen.configProblem + ").",
                    List.of());
        }
        List<String> details = List.of(
                "instance " + config.get("instance") + " on " + config.get("container") + ", Java "
                        + config.get("java"),
                "heartbeat " + config.get("heartbeatMs") + " ms, dead-peer timeout " + config.get("peerTimeoutMs")
                        + " ms, poll hold " + config.get("pollHoldMs") + " ms");
        return Result.fromServer("config", v, details);
    }

    static Result redis(Evidence seen) {
        Map<String, Object> redis = seen.redis;
        if (redis == null || !(redis.get("verdict") instanceof Map<?, ?> v)) {
            return Result.of(
                    "redis",
                    "doctor.unreachable",
                    "Could not read /doctor/api/redis (" + seen.redisProblem + ").",
                    List.of());
        }
        List<String> details = new ArrayList<>();
        details.add("mode " + redis.get("mode") + ", "
                + (Boolean.TRUE.equals(redis.get("available")) ? "available" : "unavailable") + ", broker lag "
                + redis.get("lagMs") + " ms, reconnects " + redis.get("reconnects"));
        if (redis.get("publishMs") instanceof Number p && p.longValue() >= 0)
            details.add("a publish from " + redis.get("instance") + " took " + p + " ms");
        if (redis.get("detail") != null) details.add("detail: " + redis.get("detail"));
        details.add(
                redis.get("instances") == null
                        ? "instances seen: unknown"
                        : "instances seen in the last " + redis.get("windowS") + " s: " + seen.instancesSeenByBroker());
        Set<String> observed = seen.instancesSeen();
        if ("memory".equals(redis.get("mode")) && observed.size() > 1) {
            return Result.of(
                    "redis",
                    "redis.memory-multi",
                    "Several instances answer (" + String.join(", ", observed)
                            + ") but they use the in-memory broker: viewers on different instances see different scores.",
                    details);
        }
        return Result.fromServer("redis", v, details);
    }
}
