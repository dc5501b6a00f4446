package io.tally.scoreboard.api;

import io.tally.config.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The REST API's limits, each an environment variable (see docs/API.md). */
public record ApiSettings(
        int maxBodyBytes,
        int maxJsonDepth,
        double writesPerSecond,
        int writeBurst,
        List<String> trustedProxies,
        Duration idempotencyTtl,
        int listLimit,
        List<String> allowedOrigins,
        int scorersPerGame) {

    public static ApiSettings from(Settings s) {
        return new ApiSettings(
                s.integer("TALLY_MAX_BODY_BYTES", 16_384, 256, 1_048_576),
                s.integer("TALLY_MAX_JSON_DEPTH", 16, 2, 512),
                s.integer("TALLY_WRITE_RATE", 10, 1, 100_000),
                s.integer("TALLY_WRITE_BURST", 40, 1, 100_000),
                io.tally.realtime.RealtimeConfig.trustedProxies(s),
                Duration.ofSeconds(s.integer("TALLY_IDEMPOTENCY_TTL_S", 86_400, 10, 30 * 86_400)),
                s.integer("TALLY_GAMES_LIST_LIMIT", 200, 1, 10_000),
                Arrays.stream(s.string("TALLY_ALLOWED_ORIGINS", "").split(","))
                        .map(String::trim)
                        .filter(x -> !x.isEmpty())
                        .toList(),
                s.integer("TALLY_SCORERS_PER_GAME", 20, 1, 1_000));
    }
}
