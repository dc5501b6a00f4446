package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.redis.RedisTarget;
import io.tally.testing.RedisServer;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Viewer counts across instances in a real Redis: totals sum every live instance, a dead instance's
 * counts expire, a Redis restart (everything lost) is repaired by the next reports, and the cost is
 * one command per report, whatever the counts.
 */
class RedisCountsIT {
    private static final long TTL = 800; // short, so the expiry is seen in a second
    private static RedisServer redis;
    private static RedisClients clients;
    private static RedisCommands commands;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        RedisTarget target = RedisTarget.parse(redis.url(), false);
        clients = new RedisClients(target, target.clientConfig(1_000, "counts-it"), 1_000);
        commands = new RedisCommands(
                clients::client, false, 1_000, 3_600, "counts-it", new Health(target.mode(), target.toString()));
    }

    @AfterAll
    static void stop() {
        clients.close();
        redis.close();
    }

    private static Map<String, Long> until(Supplier<Map<String, Long>> exchange, Map<String, Long> wanted) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Map<String, Long> got = null;
        while (System.nanoTime() < deadline) {
            try {
                got = exchange.get();
                if (got.equals(wanted)) return got;
            } catch (RuntimeException redisDown) {
                // retried, as the core does every interval
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("wanted " + wanted + ", last got " + got);
    }

    @Test
    void totalsSumEveryLiveInstanceAndADeadOnesCountsExpire() {
        RedisCounts a = new RedisCounts(commands, "a1", TTL);
        RedisCounts b = new RedisCounts(commands, "b1", TTL);
        assertEquals(Map.of("game-x", 3L), a.exchange(Map.of("game-x", 3L), Map.of("game-x", 3L)));
        assertEquals(
                Map.of("game-x", 5L, "game-y", 1L),
                b.exchange(Map.of("game-x", 2L, "game-y", 1L), Map.of("game-x", 2L, "game-y", 1L)));
        assertEquals(
                Map.of("game-x", 5L),
                a.exchange(Map.of("game-x", 3L), Map.of()),
                "only changes are written; totals are read whole");
        // b's viewer of game-x leaves: it reports the change only.
        assertEquals(
                Map.of("game-x", 4L, "game-y", 1L),
                b.exchange(Map.of("game-x", 1L, "game-y", 1L), Map.of("game-x", 1L)));
        // b dies (stops reporting): its counts expire after the TTL.
        long start = System.nanoTime();
        until(() -> a.exchange(Map.of("game-x", 3L), Map.of()), Map.of("game-x", 3L));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= TTL / 2 && waited < TTL * 4, "expired after " + waited + " ms (TTL " + TTL + " ms)");
    }

    @Test
    void aRedisRestartIsRepairedByTheNextReports() {
        RedisCounts a = new RedisCounts(commands, "a2", 60_000);
        RedisCounts b = new RedisCounts(commands, "b2", 60_000);
        a.exchange(Map.of("game-r", 7L), Map.of("game-r", 7L));
        assertEquals(Map.of("game-r", 9L), b.exchange(Map.of("game-r", 2L), Map.of("game-r", 2L)));
        redis.restart(); // no persistence: every hash is gone
        // Nothing changed locally, so neither reports a change: the script notices its hash is missing
        // and the instance writes it whole.
        until(() -> a.exchange(Map.of("game-r", 7L), Map.of()), Map.of("game-r", 7L));
        until(() -> b.exchange(Map.of("game-r", 2L), Map.of()), Map.of("game-r", 9L));
        assertEquals(Map.of("game-r", 9L), a.exchange(Map.of("game-r", 7L), Map.of()));
    }

    @Test
    void oneReportIsOneCommandWhateverTheCounts() {
        RedisCounts a = new RedisCounts(commands, "a3", 60_000);
        Map<String, Long> many = new java.util.HashMap<>();
        for (int i = 0; i < 1_200; i++) many.put("game-m" + i, (long) i + 1);
        a.exchange(many, many);
        long before = scriptCalls();
        Map<String, Long> totals = a.exchange(many, Map.of("game-m5", 100L));
        long after = scriptCalls();
        assertEquals(1_200, totals.size());
        assertEquals(1L, totals.get("game-m0"));
        assertEquals(1, after - before, "one script call for a report of 1,200 rooms");
    }

    /** Scripts run by clients (the commands a script runs inside are not round trips). */
    private static long scriptCalls() {
        long calls = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_eval(sha)?:calls=(\\d+)")
                .matcher(redis.command("INFO", "commandstats"));
        while (m.find()) calls += Long.parseLong(m.group(2));
        return calls;
    }
}
