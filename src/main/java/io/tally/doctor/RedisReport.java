package io.tally.doctor;

import java.util.Map;

/** The verdict on the broker: Redis reachable, lag, and how many instances share it. Pure. */
final class RedisReport {
    static final long LAG_WARN_MILLIS = 2_000;

    private RedisReport() {}

    /**
     * @param seen instances seen recently with the age of their last beat, or null when unknown
     */
    static Verdict verdict(String mode, boolean available, String detail, long lagMillis, Map<String, Long> seen) {
        if ("memory".equals(mode)) {
            return Verdict.pass("In-memory broker (REDIS_URL is not set): right for a single instance only; "
                    + "instances do not share rooms without Redis");
        }
        if (!available) {
            return Verdict.of(
                    "redis.unavailable",
                    "Redis (" + mode + ") is unavailable: " + (detail == null ? "no detail" : detail));
        }
        String instances = seen == null
                ? "instances seen: unknown"
                : seen.size() + " instance" + (seen.size() == 1 ? "" : "s") + " seen in the last "
                        + Presence.WINDOW_MILLIS / 1000 + " s"
                        + (seen.isEmpty() ? "" : " (" + String.join(", ", seen.keySet()) + ")");
        String summary = "Connected (" + mode + "), broker lag " + lagMillis + " ms; " + instances;
        if (lagMillis > LAG_WARN_MILLIS) {
            return Verdict.of("redis.lag", summary);
        }
        return Verdict.pass(summary);
    }
}
