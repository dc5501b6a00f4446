package io.tally.scoreboard;

import static io.tally.scoreboard.ApiClient.auth;
import static io.tally.scoreboard.ApiClient.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.RedisServer;
import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two Tally instances sharing one Redis, as behind a load balancer without stickiness. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {
    private static final String TOKEN = ScoreboardApiContract.TOKEN;
    private RedisServer redis;
    private TallyServer a;
    private TallyServer b;
    private ApiClient apiA;
    private ApiClient apiB;

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        Map<String, String> settings = Map.of(
                "REDIS_URL",
                redis.url(),
                "TALLY_ADMIN_TOKEN",
                TOKEN,
                "TALLY_POLL_HOLD_MS",
                "1500",
                "TALLY_WRITE_RATE",
                "1000",
                "TALLY_WRITE_BURST",
                "1000");
        a = TallyServer.start(settings);
        b = TallyServer.start(settings);
        apiA = new ApiClient(a.baseUrl());
        apiB = new ApiClient(b.baseUrl());
    }

    @AfterAll
    void stop() {
        if (a != null) a.stop();
        if (b != null) b.stop();
        if (redis != null) redis.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentScorersOnBothInstancesEndInOneStateThatEveryViewerSeesInTheSameOrder() throws Exception {
        Map<String, Object> game = apiA.post(
                        "/api/games", Map.of("home", "North", "away", "South", "status", "live"), auth(TOKEN))
                .game();
        String id = (String) game.get("id");
        ApiClient.Response snap = apiB.get("/api/games/" + id);
        assertEquals(200, snap.status(), "a game created on A is readable on B");
        LongPollViewer onA = new LongPollViewer("game-" + id, snap.json().get("position"));
        LongPollViewer onB = new LongPollViewer("game-" + id, snap.json().get("position"));

        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> scorers = new ArrayList<>();
            for (ApiClient api : List.of(apiA, apiB)) {
                for (String team : List.of("home", "away")) {
                    scorers.add(() -> {
                        for (int i = 0; i < each; i++) {
                            ApiClient.Response r = api.post(
                                    "/api/games/" + id + "/events",
                                    score(team, 1),
                                    auth(
                                            TOKEN,
                                            "Idempotency-Key",
                                            UUID.randomUUID().toString()));
                            assertEquals(200, r.status(), r.body());
                        }
                        return null;
                    });
                }
            }
            for (Future<Void> f : pool.invokeAll(scorers)) f.get();
        } finally {
            pool.shutdownNow();
        }

        long events = 4L * each;
        Map<String, Object> onServerA = apiA.get("/api/games/" + id).game();
        Map<String, Object> onServerB = apiB.get("/api/games/" + id).game();
        assertEquals(onServerA, onServerB, "both instances answer with the same state");
        assertEquals(1 + events, onServerA.get("version"));
        assertEquals(2L * each, ((Map<String, Object>) onServerA.get("home")).get("score"), "no update lost");
        assertEquals(2L * each, ((Map<String, Object>) onServerA.get("away")).get("score"), "no update lost");

        onA.pollUntil(a.baseUrl(), (int) events, Duration.ofSeconds(20));
        onB.pollUntil(b.baseUrl(), (int) events, Duration.ofSeconds(20));
        assertEquals(events, onA.payloads.size(), "each event arrives once");
        assertEquals(onA.offsets, onB.offsets, "viewers on A and B see the same sequence");
        assertEquals(onA.versions(), onB.versions());
        assertEquals(events, onA.versions().stream().distinct().count(), "every version exactly once");
        long newest = onA.versions().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertEquals(1 + events, newest, "rendering the newest version shows the final state");
        assertEquals(0, onA.resets + onB.resets);
    }

    @Test
    void aWriteRetriedOnTheOtherInstanceIsNotAppliedTwice() {
        Map<String, Object> game = apiA.post(
                        "/api/games", Map.of("home", "Left", "away", "Right", "status", "live"), auth(TOKEN))
                .game();
        String path = "/api/games/" + game.get("id") + "/events";
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = apiA.post(path, score("home", 2), auth(TOKEN, "Idempotency-Key", key));
        ApiClient.Response retry = apiB.post(path, score("home", 2), auth(TOKEN, "Idempotency-Key", key));
        assertEquals(200, retry.status());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.body(), retry.body());
        assertEquals(2L, apiB.get("/api/games/" + game.get("id")).game().get("version"));
    }

    @Test
    void twoScorersOnTheSameVersionOnDifferentInstancesGetOneConflict() {
        Map<String, Object> game = apiA.post(
                        "/api/games", Map.of("home", "Up", "away", "Down", "status", "live"), auth(TOKEN))
                .game();
        String path = "/api/games/" + game.get("id") + "/events";
        ApiClient.Response one = apiA.post(path, score("home", 1), auth(TOKEN, "If-Match", "\"1\""));
        ApiClient.Response two = apiB.post(path, score("home", 1), auth(TOKEN, "If-Match", "\"1\""));
        assertEquals(200, one.status());
        assertEquals(409, two.status());
        assertEquals("version-mismatch", two.code());
    }

    @Test
    @SuppressWarnings("unchecked")
    void afterRedisRestartsEmptyTheGameIsBackScoringGoesOnAndViewersAreToldToReload() throws Exception {
        try (RedisServer volatileRedis = RedisServer.start()) {
            Map<String, String> settings = Map.of(
                    "REDIS_URL",
                    volatileRedis.url(),
                    "TALLY_ADMIN_TOKEN",
                    TOKEN,
                    "TALLY_POLL_HOLD_MS",
                    "1000",
                    "TALLY_STORE_CHECK_MS",
                    "200",
                    "TALLY_REDIS_TIMEOUT_MS",
                    "500");
            TallyServer c = TallyServer.start(settings);
            TallyServer d = TallyServer.start(settings);
            try {
                ApiClient onC = new ApiClient(c.baseUrl());
                ApiClient onD = new ApiClient(d.baseUrl());
                String id = (String) onC.post(
                                "/api/games",
                                Map.of("home", "Before", "away", "Restart", "status", "live"),
                                auth(TOKEN))
                        .game()
                        .get("id");
                for (int i = 0; i < 3; i++)
                    assertEquals(
                            200,
                            onD.post("/api/games/" + id + "/events", score("home", 1), auth(TOKEN))
                                    .status());
                ApiClient.Response snap = onC.get("/api/games/" + id);
                LongPollViewer viewer =
                        new LongPollViewer("game-" + id, snap.json().get("position"));

                volatileRedis.kill9();
                volatileRedis.restart();

                // Scoring resumes once both Redis clients have reconnected; the game is back from memory.
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                ApiClient.Response r = null;
                while (System.nanoTime() < deadline) {
                    r = onC.post(
                            "/api/games/" + id + "/events",
                            score("away", 2),
                            auth(TOKEN, "Idempotency-Key", "after-restart"));
                    if (r.status() == 200) break;
                    Thread.sleep(100);
                }
                assertEquals(200, r.status(), r.body());
                ApiClient.Response read = onD.get("/api/games/" + id);
                while (read.status() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    read = onD.get("/api/games/" + id);
                }
                assertEquals(200, read.status(), read.body());
                Map<String, Object> game = read.game();
                assertEquals(
                        3L,
                        ((Map<String, Object>) game.get("home")).get("score"),
                        "scores from before the restart survive");
                assertEquals(2L, ((Map<String, Object>) game.get("away")).get("score"));

                // The viewer's history is gone (new epoch): it is told to reset, reloads the snapshot
                // (the state above), and from then on receives new events live.
                long resetDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (viewer.resets == 0 && System.nanoTime() < resetDeadline) viewer.pollOnce(d.baseUrl());
                assertEquals(1, viewer.resets, "the viewer is told its history is gone");
                ApiClient.Response next = onD.post("/api/games/" + id + "/events", score("home", 3), auth(TOKEN));
                assertEquals(200, next.status(), next.body());
                viewer.pollUntil(d.baseUrl(), 1, Duration.ofSeconds(10));
                assertEquals(List.of(next.game().get("version")), viewer.versions());
            } finally {
                c.stop();
                d.stop();
            }
        }
    }

    @Test
    void anInstanceWithoutAConfiguredTokenStillServesViewersAndTakesNoWritesWithoutItsOwnToken() {
        TallyServer c = TallyServer.start(Map.of("REDIS_URL", redis.url()));
        try {
            ApiClient api = new ApiClient(c.baseUrl());
            assertEquals(200, api.get("/api/games").status());
            assertEquals(
                    401,
                    api.post("/api/games", Map.of("home", "No", "away", "Token", "status", "live"), auth(TOKEN))
                            .status(),
                    "another instance's token is not this one's");
        } finally {
            c.stop();
        }
    }

    @Test
    void whenRedisIsDownTheApiAnswers503AndReadinessSaysDegraded() throws Exception {
        try (RedisServer doomed = RedisServer.start()) {
            TallyServer c = TallyServer.start(
                    Map.of("REDIS_URL", doomed.url(), "TALLY_ADMIN_TOKEN", TOKEN, "TALLY_REDIS_TIMEOUT_MS", "500"));
            try {
                ApiClient api = new ApiClient(c.baseUrl());
                Map<String, Object> g = api.post(
                                "/api/games", Map.of("home", "Dry", "away", "Run", "status", "live"), auth(TOKEN))
                        .game();
                doomed.kill9();
                ApiClient.Response read = api.get("/api/games/" + g.get("id"));
                assertEquals(503, read.status(), read.body());
                assertTrue(List.of("store-unavailable", "broker-unavailable").contains(read.code()));
                assertNotNull(read.header("Retry-After"));
                ApiClient.Response write =
                        api.post("/api/games/" + g.get("id") + "/events", score("home", 1), auth(TOKEN));
                assertEquals(503, write.status(), write.body());
                ApiClient.Response ready = api.get("/readyz");
                assertEquals(503, ready.status());
                assertEquals("degraded", ready.json().get("status"));
                assertEquals(200, api.get("/healthz").status(), "liveness does not depend on Redis");
            } finally {
                c.stop();
            }
        }
    }
}
