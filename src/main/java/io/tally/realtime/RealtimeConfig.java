package io.tally.realtime;

import io.tally.config.Settings;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of the real-time core. Every timeout stays below the 60 s idle timeouts of nginx and the
 * AWS load balancer by default; each is an environment variable (documented in the README).
 */
public record RealtimeConfig(
        String instanceId,
        int heartbeatMillis,
        int peerTimeoutMillis,
        int pollHoldMillis,
        int pollBodyMillis,
        int maxFrameBytes,
        int maxJsonDepth,
        int maxRoomsPerConnection,
        int historySize,
        int sendQueueLimit,
        int requestsPerSecond,
        int pollsPerSecond,
        int maxAnswerBytes,
        int maxConnections,
        int maxConnectionsPerAddress,
        List<String> trustedProxies,
        int drainWindowMillis,
        List<String> allowedOrigins,
        String redisUrl,
        boolean redisCluster,
        int streamMaxLength,
        boolean webSocketCompression,
        boolean inlineSends,
        int sendTimeoutMillis,
        int roomTtlSeconds,
        int countIntervalMillis) {

    public static RealtimeConfig from(Settings s) {
        return new RealtimeConfig(
                s.string("TALLY_INSTANCE_ID", defaultInstanceId()),
                s.integer("TALLY_HEARTBEAT_MS", 25_000, 10, 3_600_000),
                s.integer("TALLY_PEER_TIMEOUT_MS", 20_000, 10, 3_600_000),
                s.integer("TALLY_POLL_HOLD_MS", 25_000, 0, 3_600_000),
                s.integer("TALLY_POLL_BODY_MS", 10_000, 100, 600_000),
                s.integer("TALLY_MAX_FRAME_BYTES", 65_536, 256, 16 * 1024 * 1024),
                s.integer("TALLY_MAX_JSON_DEPTH", 16, 2, 512),
                s.integer("TALLY_MAX_ROOMS_PER_CONNECTION", 50, 1, 100_000),
                s.integer("TALLY_HISTORY_SIZE", 1_000, 1, 10_000_000),
                s.integer("TALLY_SEND_QUEUE_LIMIT", 1_000, 1, 10_000_000),
                s.integer("TALLY_REQUESTS_PER_SECOND", 20, 1, 1_000_000),
                s.integer("TALLY_POLLS_PER_SECOND", 50, 1, 1_000_000),
                s.integer("TALLY_MAX_ANSWER_BYTES", 262_144, 1_024, 64 * 1024 * 1024),
                s.integer("TALLY_MAX_CONNECTIONS", 20_000, 1, 10_000_000),
                s.integer("TALLY_MAX_CONNECTIONS_PER_ADDRESS", 200, 1, 10_000_000),
                trustedProxies(s),
                s.integer("TALLY_DRAIN_WINDOW_MS", 10_000, 0, 3_600_000),
                list(s.string("TALLY_ALLOWED_ORIGINS", "")),
                s.string("REDIS_URL", null),
                s.bool("REDIS_CLUSTER", false),
                s.integer("TALLY_STREAM_MAXLEN", 10_000, 10, 100_000_000),
                s.bool("TALLY_WS_COMPRESSION", false),
                s.bool("TALLY_WS_INLINE_SENDS", true),
                s.integer("TALLY_WS_SEND_TIMEOUT_MS", 1_000, 10, 60_000),
                s.integer("TALLY_ROOM_TTL_S", 7 * 24 * 3600, 1, Integer.MAX_VALUE),
                // At most 5 s: a Redis broker lets an instance's counts expire 15 s after its last report.
                s.integer("TALLY_COUNT_INTERVAL_MS", 1_000, 100, 5_000));
    }

    /**
     * {@code TALLY_TRUSTED_PROXIES}: CIDR ranges whose {@code X-Forwarded-For} entries are believed
     * (default {@link ClientAddress#DEFAULT_TRUSTED}; {@code none} believes no proxy). The older
     * {@code TALLY_TRUSTED_PROXY_HOPS=0} still means none; other hop counts are no longer used.
     */
    public static List<String> trustedProxies(Settings s) {
        String ranges = s.string("TALLY_TRUSTED_PROXIES", null);
        if (ranges == null) {
            return s.integer("TALLY_TRUSTED_PROXY_HOPS", 2, 0, 10) == 0 ? List.of() : ClientAddress.DEFAULT_TRUSTED;
        }
        if (ranges.trim().equalsIgnoreCase("none")) return List.of();
        List<String> list = list(ranges);
        new ClientAddress(list); // refuses a malformed range at start-up
        return list;
    }

    public static RealtimeConfig defaults() {
        return from(new Settings(name -> null));
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    /** Random, not the host name: the id is shown to every client, and an EC2 host name gives away the private address. */
    private static String defaultInstanceId() {
        return "tally-" + Long.toString(new SecureRandom().nextLong() >>> 24, 36); // 40 bits
    }
}
