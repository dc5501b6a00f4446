package io.tally.scoreboard;

import static io.tally.scoreboard.ApiClient.auth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two instances on one Redis that is killed and restarted empty. Instance B last read the game long
 * ago (it remembers version 1); A acknowledged every later version. After the restart the next
 * write goes to B. Every acknowledged write must be in the final state, no version may stand for
 * two different states, and a scorer using If-Match must never be sent back to a version older
 * than one already acknowledged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreRestoreIT {
    private static final String TOKEN = ScoreboardApiContract.TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private RedisServer redis;
    private TallyServer a;
    private TallyServer b;
    private ApiClient onA;
    private ApiClient onB;

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        // A checks less often than B, so B (which knows only an old version) is the first to see the loss.
        a = TallyServer.start(settings("1000"));
        b = TallyServer.start(settings("200"));
        onA = new ApiClient(a.baseUrl());
        onB = new ApiClient(b.baseUrl());
    }

    private Map<String, String> settings(String checkMillis) {
        return Map.of(
                "REDIS_URL",
                redis.url(),
                "TALLY_ADMIN_TOKEN",
                TOKEN,
                "TALLY_STORE_CHECK_MS",
                checkMillis,
                "TALLY_REDIS_TIMEOUT_MS",
                "500",
                // Long enough for A (checking every second) to reach the restarted Redis and offer its
                // copies on a loaded machine; the guarantee holds only for offers inside the window.
                "TALLY_STORE_RESTORE_MS",
                "6000",
                "TALLY_WRITE_RATE",
                "1000",
                "TALLY_WRITE_BURST",
                "1000");
    }

    @AfterAll
    void stop() {
        if (a != null) a.stop();
        if (b != null) b.stop();
        if (redis != null) redis.close();
    }

    @Test
    void withoutIfMatchEveryAcknowledgedWriteSurvivesAndNoVersionIsReused() {
        Writer w = new Writer(false);
        String id = w.createOnAAndLetBReadIt();
        for (int i = 0; i < 5; i++) w.score(onA, id);

        redis.kill9();
        redis.restart();

        for (int i = 0; i < 5; i++) w.score(i % 2 == 0 ? onB : onA, id); // B first: it knows only version 1
        w.assertFinalState(id);
    }

    @Test
    void withIfMatchNoConflictAnswersWithAVersionOlderThanOneAcknowledged() {
        Writer w = new Writer(true);
        String id = w.createOnAAndLetBReadIt();
        for (int i = 0; i < 5; i++) w.score(onA, id);

        redis.kill9();
        redis.restart();

        for (int i = 0; i < 5; i++) w.score(i % 2 == 0 ? onB : onA, id);
        w.assertFinalState(id);
    }

    @Test
    void aRetryAfterTheLossOfAWriteWhoseAnswerWasLostIsAnsweredFromItsRecordNotAppliedTwice() {
        Writer w = new Writer(false);
        String id = w.createOnAAndLetBReadIt();
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = onA.post(
                "/api/games/" + id + "/events", ApiClient.score("home", 2), auth(TOKEN, "Idempotency-Key", key));
        assertEquals(200, first.status(), first.body()); // the client is taken to have missed this answer

        redis.kill9();
        redis.restart();

        long deadline = System.nanoTime() + WAIT.toNanos();
        ApiClient.Response retry;
        while (true) {
            retry = onB.post(
                    "/api/games/" + id + "/events", ApiClient.score("home", 2), auth(TOKEN, "Idempotency-Key", key));
            if (retry.status() != 503) break;
            assertTrue(System.nanoTime() < deadline, retry::body);
            pause(100);
        }
        assertEquals(200, retry.status(), retry.body());
        assertEquals("true", retry.header("Idempotent-Replayed"), "answered from the record A put back");
        assertEquals(first.body(), retry.body());
        Map<String, Object> game = w.readWhenPossible(onB, id);
        assertEquals(2L, ((Map<?, ?>) game.get("home")).get("score"), "applied once");
    }

    /** One scorer adding a point per write, retrying refusals, recording every state acknowledged. */
    private final class Writer {
        private final boolean ifMatch;
        private final Map<Long, Map<String, Object>> acknowledged = new HashMap<>();
        private final List<String> refusals = new ArrayList<>();
        private long newestAcknowledged;
        private long shown; // the version this scorer's screen shows (If-Match)
        private int points;

        Writer(boolean ifMatch) {
            this.ifMatch = ifMatch;
        }

        String createOnAAndLetBReadIt() {
            // A previous test's restart may still have a connection reconnecting: retry what it refuses.
            String key = UUID.randomUUID().toString();
            long deadline = System.nanoTime() + WAIT.toNanos();
            ApiClient.Response created;
            while ((created = onA.post(
                                    "/api/games",
                                    Map.of("home", "Kept", "away", "Safe", "status", "live"),
                                    auth(TOKEN, "Idempotency-Key", key)))
                            .status()
                    == 503) {
                assertTrue(System.nanoTime() < deadline, created::body);
                pause(100);
            }
            assertEquals(201, created.status(), created.body());
            String id = (String) created.game().get("id");
            acknowledge(created.game());
            assertEquals(1L, readWhenPossible(onB, id).get("version"));
            return id;
        }

        @SuppressWarnings("unchecked")
        void score(ApiClient api, String id) {
            String key = UUID.randomUUID().toString();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                assertTrue(System.nanoTime() < deadline, () -> "no write got through; refusals: " + refusals);
                String[] headers = ifMatch
                        ? auth(TOKEN, "Idempotency-Key", key, "If-Match", "\"" + shown + "\"")
                        : auth(TOKEN, "Idempotency-Key", key);
                ApiClient.Response r = api.post("/api/games/" + id + "/events", ApiClient.score("home", 1), headers);
                if (r.status() == 200) {
                    acknowledge(r.game());
                    points++;
                    return;
                }
                refusals.add(r.status() + " " + (r.body().startsWith("{") ? r.code() : r.body()));
                if (r.status() == 409 && ifMatch && "version-mismatch".equals(r.code())) {
                    Map<String, Object> current = (Map<String, Object>) r.json().get("game");
                    long v = (Long) current.get("version");
                    assertTrue(
                            v >= newestAcknowledged,
                            () -> "a conflict answered with version " + v + " after version " + newestAcknowledged
                                    + " was acknowledged: " + r.body());
                    sameStateForSameVersion(current);
                    shown = v;
                    continue;
                }
                assertEquals(503, r.status(), r.body());
                assertTrue(r.header("Retry-After") != null, "a refusal says when to come back");
                pause(100);
            }
        }

        private void acknowledge(Map<String, Object> game) {
            sameStateForSameVersion(game);
            long v = (Long) game.get("version");
            acknowledged.put(v, game);
            newestAcknowledged = Math.max(newestAcknowledged, v);
            shown = v;
        }

        private void sameStateForSameVersion(Map<String, Object> game) {
            long v = (Long) game.get("version");
            Map<String, Object> before = acknowledged.get(v);
            if (before != null) assertEquals(before, game, "two different states under version " + v);
        }

        @SuppressWarnings("unchecked")
        void assertFinalState(String id) {
            for (ApiClient api : List.of(onA, onB)) {
                Map<String, Object> game = readWhenPossible(api, id);
                sameStateForSameVersion(game);
                assertEquals(
                        (long) points,
                        ((Map<String, Object>) game.get("home")).get("score"),
                        () -> "every acknowledged point is in the final state; refusals on the way: " + refusals);
                assertEquals(newestAcknowledged, game.get("version"));
            }
        }

        Map<String, Object> readWhenPossible(ApiClient api, String id) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                ApiClient.Response r = api.get("/api/games/" + id);
                if (r.status() == 200) return r.game();
                assertEquals(503, r.status(), r.body());
                assertTrue(System.nanoTime() < deadline, r::body);
                pause(100);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // a scorer waiting before a retry, as Retry-After asks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
