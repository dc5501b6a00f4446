package io.tally.scoreboard;

import static io.tally.scoreboard.ApiClient.auth;
import static io.tally.scoreboard.ApiClient.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every success and error path of the REST API, against a real server. Run once per store: the
 * subclasses say which (memory, Redis).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScoreboardApiContract {
    static final String TOKEN = "test-token-0123456789abcdef";

    TallyServer server;
    ApiClient api;
    Map<String, String> settings;

    /** Settings of the server under test, beyond the token and the limits set here. */
    abstract Map<String, String> storeSettings();

    @BeforeAll
    void startServer() {
        Map<String, String> s = new HashMap<>(storeSettings());
        s.put("TALLY_ADMIN_TOKEN", TOKEN);
        s.put("TALLY_MAX_BODY_BYTES", "1024");
        s.put("TALLY_POLL_HOLD_MS", "1500");
        s.put("TALLY_WRITE_RATE", "1000");
        s.put("TALLY_WRITE_BURST", "1000");
        settings = s;
        server = TallyServer.start(s);
        api = new ApiClient(server.baseUrl());
    }

    @AfterAll
    void stopServer() {
        if (server != null) server.stop();
    }

    Map<String, Object> createGame(String home, String away) {
        return createGame("basketball", home, away);
    }

    Map<String, Object> createGame(String sport, String home, String away) {
        ApiClient.Response r = api.post(
                "/api/games", Map.of("sport", sport, "home", home, "away", away, "status", "live"), auth(TOKEN));
        assertEquals(201, r.status(), r.body());
        return r.game();
    }

    static String id(Map<String, Object> game) {
        return (String) game.get("id");
    }

    static long version(Map<String, Object> game) {
        return (Long) game.get("version");
    }

    @SuppressWarnings("unchecked")
    static long homeScore(Map<String, Object> game) {
        return (Long) ((Map<String, Object>) game.get("home")).get("score");
    }

    // ---- reads ----

    @Test
    @SuppressWarnings("unchecked")
    void theGameListHasEveryGameAndThePositionOfTheGamesRoom() {
        Map<String, Object> g = createGame("Listed", "Too");
        ApiClient.Response r = api.get("/api/games");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals("no-store", r.header("Cache-Control"));
        List<Map<String, Object>> games = (List<Map<String, Object>>) r.json().get("games");
        assertTrue(games.stream().anyMatch(x -> id(g).equals(x.get("id"))));
        assertNull(games.get(0).get("log"), "the list is summaries, without logs");
        assertNotNull(((Map<String, Object>) r.json().get("position")).get("epoch"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSnapshotHasTheWholeGameItsVersionAsETagAndItsRoomPosition() {
        Map<String, Object> g = createGame("Snap", "Shot");
        api.post("/api/games/" + id(g) + "/events", score("home", 2), auth(TOKEN));
        ApiClient.Response r = api.get("/api/games/" + id(g));
        assertEquals(200, r.status());
        assertEquals("\"2\"", r.header("ETag"));
        assertEquals(2L, version(r.game()));
        assertEquals(1, ((List<Object>) r.game().get("log")).size());
        Map<String, Object> position = (Map<String, Object>) r.json().get("position");
        assertNotNull(position.get("epoch"));
        assertNotNull(position.get("offset"));
    }

    @Test
    void anUnknownGameIsA404Problem() {
        ApiClient.Response r = api.get("/api/games/nosuchgame");
        assertEquals(404, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("game-not-found", r.code());
        assertEquals(404L, r.json().get("status"));
        assertNotNull(r.json().get("title"));
        assertNotNull(r.json().get("detail"));
        assertEquals(404, api.get("/api/games/%3Cscript%3E").status());
        assertEquals(
                404,
                api.post("/api/games/nosuchgame/events", score("home", 1), auth(TOKEN))
                        .status());
        assertEquals("not-found", api.get("/api/nothing-here").code());
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        ApiClient.Response r =
                api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/games"))
                        .DELETE());
        assertEquals(405, r.status());
        assertEquals("GET, POST", r.header("Allow"));
    }

    // ---- auth ----

    @Test
    void writesWithoutATokenAre401AndSayWhy() {
        ApiClient.Response r = api.post("/api/games", Map.of("home", "A", "away", "B"));
        assertEquals(401, r.status());
        assertEquals("token-missing", r.code());
        assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"));
    }

    @Test
    void writesWithAWrongTokenAre401() {
        ApiClient.Response r = api.post("/api/games", Map.of("home", "A", "away", "B"), auth(TOKEN + "x"));
        assertEquals(401, r.status());
        assertEquals("token-invalid", r.code());
        assertEquals(
                "token-invalid",
                api.post("/api/games", Map.of("home", "A", "away", "B"), "Authorization", "Basic " + TOKEN)
                        .code());
    }

    @Test
    void theConsoleCanCheckItsToken() {
        assertEquals(200, api.get("/api/session", auth(TOKEN)).status());
        assertEquals(
                401, api.get("/api/session", auth("wrong-token-wrong-token")).status());
        assertEquals(401, api.get("/api/session").status());
    }

    @Test
    void writesFromAnotherSitesPageAre403EvenWithTheToken() {
        ApiClient.Response r =
                api.post("/api/games", Map.of("home", "A", "away", "B"), auth(TOKEN, "Origin", "https://evil.example"));
        assertEquals(403, r.status());
        assertEquals("origin-forbidden", r.code());
        ApiClient.Response same =
                api.post("/api/games", Map.of("home", "A", "away", "B"), auth(TOKEN, "Origin", server.baseUrl()));
        assertEquals(201, same.status(), same.body());
    }

    // ---- bodies ----

    @Test
    void aBodyThatIsNotJsonIs415() {
        ApiClient.Response r = api.post(
                "/api/games", "home=A&away=B", auth(TOKEN, "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(415, r.status());
        assertEquals("not-json", r.code());
        ApiClient.Response untyped = api.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/games"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"home\":\"A\",\"away\":\"B\"}")),
                auth(TOKEN));
        assertEquals(415, untyped.status(), "a body without Content-Type is refused");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        ApiClient.Response r = api.post("/api/games", Map.of("home", "A".repeat(2000), "away", "B"), auth(TOKEN));
        assertEquals(413, r.status());
        assertEquals("body-too-large", r.code());
    }

    @Test
    void malformedOrInvalidBodiesAre400WithTheReason() {
        assertEquals(
                "bad-json", api.post("/api/games", "{\"home\":", auth(TOKEN)).code());
        assertEquals(
                "bad-json",
                api.post("/api/games", "[".repeat(100) + "]".repeat(100), auth(TOKEN))
                        .code());
        ApiClient.Response r = api.post("/api/games", Map.of("home", "A"), auth(TOKEN));
        assertEquals(400, r.status());
        assertEquals("invalid", r.code());
        assertTrue(((String) r.json().get("detail")).contains("away"));
        Map<String, Object> g = createGame("Bad", "Events");
        assertEquals(
                "invalid",
                api.post(
                                "/api/games/" + id(g) + "/events",
                                Map.of("type", "score", "team", "both", "points", 1L),
                                auth(TOKEN))
                        .code());
    }

    // ---- events ----

    @Test
    @SuppressWarnings("unchecked")
    void scoringPeriodStatusAndUndoChangeTheGame() {
        Map<String, Object> g = createGame("Eagles", "Bears");
        String path = "/api/games/" + id(g);
        assertEquals(
                2L,
                version(api.post(path + "/events", Map.of("type", "status", "status", "break"), auth(TOKEN))
                        .game()));
        assertEquals(
                3L,
                homeScore(api.post(path + "/events", score("home", 3), auth(TOKEN))
                        .game()));
        assertEquals(
                "P2",
                api.post(path + "/events", Map.of("type", "period", "period", "P2"), auth(TOKEN))
                        .game()
                        .get("period"));
        ApiClient.Response set =
                api.post(path + "/events", Map.of("type", "score", "team", "home", "set", 7L), auth(TOKEN));
        assertEquals(7L, homeScore(set.game()));
        assertEquals("\"5\"", set.header("ETag"));
        ApiClient.Response undo = api.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path + "/undo"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()),
                auth(TOKEN)); // as curl -X POST sends it
        assertEquals(200, undo.status(), undo.body());
        assertEquals(3L, homeScore(undo.game()));
        ApiClient.Response undo2 = api.post(path + "/events", Map.of("type", "undo"), auth(TOKEN));
        assertEquals("", undo2.game().get("period"), "the second undo reverts the period change");
        List<Map<String, Object>> log = (List<Map<String, Object>>) undo2.game().get("log");
        assertEquals("undo", log.get(log.size() - 1).get("type"));
        assertNotNull(undo2.json().get("position"));
    }

    @Test
    void aStaleIfMatchIs409WithTheCurrentGame() {
        Map<String, Object> g = createGame("Match", "Point");
        String path = "/api/games/" + id(g) + "/events";
        assertEquals(
                200,
                api.post(path, score("home", 1), auth(TOKEN, "If-Match", "\"1\""))
                        .status());
        ApiClient.Response r =
                api.post(path, score("home", 1), auth(TOKEN, "If-Match", "\"1\"")); // a second scorer, still on v1
        assertEquals(409, r.status());
        assertEquals("version-mismatch", r.code());
        assertEquals(2L, version(r.game()));
        assertEquals(1L, homeScore(r.game()));
        assertEquals(
                "bad-if-match",
                api.post(path, score("home", 1), auth(TOKEN, "If-Match", "*")).code());
    }

    @Test
    void anEventTheGameDoesNotAllowIs409WithTheCurrentGame() {
        Map<String, Object> g = createGame("Zero", "Sum");
        ApiClient.Response r = api.post("/api/games/" + id(g) + "/events", score("away", -1), auth(TOKEN));
        assertEquals(409, r.status());
        assertEquals("score-negative", r.code());
        assertEquals(1L, version(r.game()));
        assertEquals(
                "nothing-to-undo",
                api.post("/api/games/" + id(g) + "/undo", "", auth(TOKEN)).code());
    }

    // ---- idempotency ----

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyScoresOnce() {
        Map<String, Object> g = createGame("Retry", "Safe");
        String path = "/api/games/" + id(g) + "/events";
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = api.post(path, score("home", 2), auth(TOKEN, "Idempotency-Key", key));
        ApiClient.Response again = api.post(path, score("home", 2), auth(TOKEN, "Idempotency-Key", key));
        assertEquals(200, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.body(), again.body());
        assertEquals(2L, homeScore(api.get("/api/games/" + id(g)).game()));
        assertEquals(2L, version(api.get("/api/games/" + id(g)).game()));
    }

    @Test
    void aRetriedCreateMakesOneGame() {
        String key = UUID.randomUUID().toString();
        ApiClient.Response a =
                api.post("/api/games", Map.of("home", "Once", "away", "Only"), auth(TOKEN, "Idempotency-Key", key));
        ApiClient.Response b =
                api.post("/api/games", Map.of("home", "Once", "away", "Only"), auth(TOKEN, "Idempotency-Key", key));
        assertEquals(201, b.status());
        assertEquals(id(a.game()), id(b.game()));
        assertEquals(a.header("Location"), b.header("Location"));
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIs422() {
        Map<String, Object> g = createGame("Key", "Reuse");
        String path = "/api/games/" + id(g) + "/events";
        String key = UUID.randomUUID().toString();
        assertEquals(
                200,
                api.post(path, score("home", 1), auth(TOKEN, "Idempotency-Key", key))
                        .status());
        ApiClient.Response r = api.post(path, score("home", 3), auth(TOKEN, "Idempotency-Key", key));
        assertEquals(422, r.status());
        assertEquals("idempotency-key-reused", r.code());
        assertEquals(
                "bad-idempotency-key",
                api.post(path, score("home", 1), auth(TOKEN, "Idempotency-Key", ""))
                        .code());
    }

    // ---- status and headers ----

    @Test
    @SuppressWarnings("unchecked")
    void readinessReportsStoreRealtimeAndVersion() {
        ApiClient.Response r = api.get("/readyz");
        assertEquals(200, r.status(), r.body());
        assertEquals("ready", r.json().get("status"));
        assertNotNull(r.json().get("version"));
        assertNotNull(r.json().get("instance"));
        assertEquals(true, ((Map<String, Object>) r.json().get("store")).get("available"));
        Map<String, Object> realtime = (Map<String, Object>) r.json().get("realtime");
        assertTrue(((Map<String, Object>) realtime.get("connections")).containsKey("websocket"));
        assertEquals(200, api.get("/api/status").status());
    }

    @Test
    @SuppressWarnings("unchecked")
    void readinessSaysHowRedisIsReachedButNeverWhereAndTheInstanceIsNotTheHostName() {
        ApiClient.Response r = api.get("/readyz");
        Map<String, Object> broker =
                (Map<String, Object>) ((Map<String, Object>) r.json().get("realtime")).get("broker");
        assertEquals(false, broker.get("tls"));
        assertEquals(false, ((Map<String, Object>) r.json().get("store")).get("tls"));
        assertNull(broker.get("detail"), "the broker's detail names its endpoint");
        if (settings.containsKey("REDIS_URL")) { // the test servers' Redis is on 127.0.0.1
            assertTrue(!r.body().contains("127.0.0.1") && !r.body().contains("redis://"), r.body());
        }
        assertTrue(
                ((String) r.json().get("instance")).matches("tally-[0-9a-z]{1,8}"),
                "a random id: " + r.json().get("instance"));
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (ApiClient.Response r : List.of(
                api.get("/api/games"), api.get("/api/games/nosuchgame"), api.get("/index.html"), api.get("/healthz"))) {
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp);
            assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertNotNull(r.header("Referrer-Policy"));
            assertNull(r.header("Strict-Transport-Security"), "plain HTTP gets no HSTS");
        }
        assertNotNull(
                api.get("/", "X-Forwarded-Proto", "https").header("Strict-Transport-Security"),
                "HSTS when the balancer ended TLS");
    }

    // ---- the snapshot hand-off ----

    @Test
    @SuppressWarnings("unchecked")
    void aViewerSubscribedFromTheSnapshotPositionGetsEveryLaterEventOnceAndNoEarlierOne() throws Exception {
        Map<String, Object> g = createGame("Before", "After");
        String path = "/api/games/" + id(g);
        api.post(path + "/events", score("home", 1), auth(TOKEN));
        ApiClient.Response snap = api.get(path);
        long snapVersion = version(snap.game());
        LongPollViewer viewer = new LongPollViewer("game-" + id(g), snap.json().get("position"));
        for (int i = 0; i < 3; i++) api.post(path + "/events", score("away", 1), auth(TOKEN));
        viewer.pollUntil(server.baseUrl(), 3, Duration.ofSeconds(10));
        assertEquals(List.of(snapVersion + 1, snapVersion + 2, snapVersion + 3), viewer.versions());
        Map<String, Object> last = viewer.payloads.get(2);
        assertEquals("event", last.get("kind"));
        assertEquals(3L, ((Map<String, Object>) ((Map<String, Object>) last.get("game")).get("away")).get("score"));
        assertEquals("score", ((Map<String, Object>) last.get("event")).get("type"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLiveMessageCarriesTheChangeAndTheSummaryNotTheLogAndAnUndoNamesWhatItUndoes() throws Exception {
        Map<String, Object> g = createGame("Delta", "Change");
        String path = "/api/games/" + id(g);
        ApiClient.Response snap = api.get(path);
        LongPollViewer viewer = new LongPollViewer("game-" + id(g), snap.json().get("position"));
        api.post(path + "/events", score("home", 3), auth(TOKEN));
        api.post(path + "/events", Map.of("type", "undo"), auth(TOKEN));
        viewer.pollUntil(server.baseUrl(), 2, Duration.ofSeconds(10));
        Map<String, Object> scored =
                (Map<String, Object>) viewer.payloads.get(0).get("event");
        Map<String, Object> undo = viewer.payloads.get(1);
        Map<String, Object> undoEvent = (Map<String, Object>) undo.get("event");
        Map<String, Object> summary = (Map<String, Object>) undo.get("game");
        assertEquals("undo", undoEvent.get("type"));
        assertEquals(scored.get("version"), undoEvent.get("undoes"));
        assertEquals(
                0L, ((Map<String, Object>) summary.get("home")).get("score"), "the summary carries the restored score");
        for (Map<String, Object> p : viewer.payloads) assertNull(((Map<String, Object>) p.get("game")).get("log"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGamesRoomAnnouncesNewGamesAndScoreChanges() throws Exception {
        ApiClient.Response list = api.get("/api/games");
        LongPollViewer board = new LongPollViewer("games", list.json().get("position"));
        Map<String, Object> g = createGame("Board", "Watch");
        api.post("/api/games/" + id(g) + "/events", score("home", 2), auth(TOKEN));
        board.pollUntil(server.baseUrl(), 2, Duration.ofSeconds(10));
        List<Map<String, Object>> mine = board.payloads.stream()
                .map(p -> (Map<String, Object>) p.get("game"))
                .filter(x -> id(g).equals(x.get("id")))
                .toList();
        assertEquals(
                List.of(1L, 2L),
                mine.stream().map(ScoreboardApiContract::version).toList());
        assertNull(mine.get(1).get("log"));
    }

    // ---- sports ----

    @Test
    @SuppressWarnings("unchecked")
    void theSportPresetsArePublicAndCacheable() {
        ApiClient.Response r = api.get("/api/sports");
        assertEquals(200, r.status());
        assertTrue(r.header("Cache-Control").startsWith("public"), r.header("Cache-Control"));
        List<Map<String, Object>> sports = (List<Map<String, Object>>) r.json().get("sports");
        Map<String, Object> basketball = sports.stream()
                .filter(x -> "basketball".equals(x.get("id")))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(1L, 2L, 3L), basketball.get("buttons"));
        assertEquals(Map.of("direction", "down", "periodMs", 600_000L), basketball.get("clock"));
        assertEquals(
                List.of("basketball", "soccer", "hockey", "american-football", "volleyball", "tennis", "custom"),
                sports.stream().map(x -> x.get("id")).toList());
    }

    @Test
    void eachSportIsValidatedWithAClearProblem() {
        Map<String, Object> soccer = createGame("soccer", "Rovers", "United");
        ApiClient.Response three = api.post("/api/games/" + id(soccer) + "/events", score("home", 3), auth(TOKEN));
        assertEquals(422, three.status(), three.body());
        assertTrue(three.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("points-not-allowed", three.code());
        assertTrue(((String) three.json().get("detail")).contains("1 at a time"), three.body());
        assertEquals(1L, version(three.game()), "the problem carries the game, unchanged");
        assertEquals(
                200,
                api.post("/api/games/" + id(soccer) + "/events", score("home", 1), auth(TOKEN))
                        .status());

        ApiClient.Response early =
                api.post("/api/games", Map.of("sport", "hockey", "home", "A", "away", "B"), auth(TOKEN));
        assertEquals("scheduled", early.game().get("status"));
        ApiClient.Response refused =
                api.post("/api/games/" + id(early.game()) + "/events", score("home", 1), auth(TOKEN));
        assertEquals(409, refused.status());
        assertEquals("game-not-started", refused.code());

        assertEquals(
                "invalid",
                api.post("/api/games", Map.of("sport", "quidditch", "home", "A", "away", "B"), auth(TOKEN))
                        .code());
        assertEquals(
                "invalid",
                api.post("/api/games", Map.of("home", Map.of("name", "A", "short", "ABCDE"), "away", "B"), auth(TOKEN))
                        .code());
        ApiClient.Response colour = api.post(
                "/api/games", Map.of("home", Map.of("name", "A", "color", "javascript:x"), "away", "B"), auth(TOKEN));
        assertEquals(400, colour.status());
        assertTrue(((String) colour.json().get("detail")).contains("#"), colour.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void teamDetailsAndTheStartTimeAreKept() {
        ApiClient.Response r = api.post(
                "/api/games",
                Map.of(
                        "sport",
                        "basketball",
                        "startsAt",
                        "2026-12-02T19:00:00Z",
                        "home",
                        Map.of("name", "Lakers", "short", "LAL", "color", "#552583"),
                        "away",
                        Map.of("name", "Celtics", "short", "BOS", "color", "#007A33")),
                auth(TOKEN));
        assertEquals(201, r.status(), r.body());
        Map<String, Object> g = api.get("/api/games/" + id(r.game())).game();
        assertEquals("2026-12-02T19:00:00Z", g.get("startsAt"));
        assertEquals(Map.of("name", "Celtics", "short", "BOS", "color", "#007a33", "score", 0L), g.get("away"));
        assertEquals(
                Map.of(
                        "running",
                        false,
                        "direction",
                        "down",
                        "ms",
                        600_000L,
                        "at",
                        ((Map<String, Object>) g.get("clock")).get("at")),
                g.get("clock"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void volleyballIsScoredPointByPointWithinSets() {
        Map<String, Object> g = createGame("volleyball", "Spikers", "Blockers");
        String path = "/api/games/" + id(g) + "/events";
        assertEquals(
                "scored-by-points",
                api.post(path, score("home", 1), auth(TOKEN)).code());
        ApiClient.Response r = null;
        for (int i = 0; i < 25; i++) r = api.post(path, Map.of("type", "point", "team", "away"), auth(TOKEN));
        assertEquals(
                List.of(Map.of("home", 0L, "away", 25L), Map.of("home", 0L, "away", 0L)),
                r.game().get("sets"));
        assertEquals(1L, ((Map<String, Object>) r.game().get("away")).get("score"));
        assertEquals("Set 2", r.game().get("period"));
        ApiClient.Response undo = api.post(path, Map.of("type", "undo"), auth(TOKEN));
        assertEquals(List.of(Map.of("home", 0L, "away", 24L)), undo.game().get("sets"));
        assertEquals("Set 1", undo.game().get("period"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClockIsStartedStoppedAndSetAndViewersGetItsState() throws Exception {
        Map<String, Object> g = createGame("Clock", "Work");
        String path = "/api/games/" + id(g);
        LongPollViewer viewer =
                new LongPollViewer("game-" + id(g), api.get(path).json().get("position"));
        long before = System.currentTimeMillis();
        ApiClient.Response start = api.post(path + "/events", Map.of("type", "clock", "action", "start"), auth(TOKEN));
        assertEquals(200, start.status(), start.body());
        Map<String, Object> clock = (Map<String, Object>) start.game().get("clock");
        assertEquals(true, clock.get("running"));
        assertEquals(600_000L, clock.get("ms"));
        assertTrue(
                (Long) clock.get("at") >= before - 1_000
                        && (Long) clock.get("at") <= System.currentTimeMillis() + 1_000,
                "server time");
        assertEquals(
                "clock-running",
                api.post(path + "/events", Map.of("type", "clock", "action", "start"), auth(TOKEN))
                        .code());
        ApiClient.Response stop = api.post(path + "/events", Map.of("type", "clock", "action", "stop"), auth(TOKEN));
        Map<String, Object> stopped = (Map<String, Object>) stop.game().get("clock");
        assertEquals(false, stopped.get("running"));
        assertTrue((Long) stopped.get("ms") <= 600_000L && (Long) stopped.get("ms") > 590_000L, stopped.toString());
        ApiClient.Response set =
                api.post(path + "/events", Map.of("type", "clock", "action", "set", "ms", 5_000L), auth(TOKEN));
        assertEquals(5_000L, ((Map<String, Object>) set.game().get("clock")).get("ms"));
        assertEquals(
                "invalid",
                api.post(path + "/events", Map.of("type", "clock", "action", "set", "ms", -1L), auth(TOKEN))
                        .code());
        viewer.pollUntil(server.baseUrl(), 3, Duration.ofSeconds(10));
        Map<String, Object> last = viewer.payloads.get(2);
        assertEquals("set", ((Map<String, Object>) last.get("event")).get("action"));
        assertEquals(5_000L, ((Map<String, Object>) ((Map<String, Object>) last.get("game")).get("clock")).get("ms"));
        Map<String, Object> tennis = createGame("tennis", "Serve", "Volley");
        assertEquals(
                422,
                api.post(
                                "/api/games/" + id(tennis) + "/events",
                                Map.of("type", "clock", "action", "start"),
                                auth(TOKEN))
                        .status());
    }

    // ---- scorer tokens ----

    @Test
    @SuppressWarnings("unchecked")
    void aScorerTokenScoresItsOwnGameOnlyUntilRevokedAndIsNeverLogged() {
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger apiLog = java.util.logging.Logger.getLogger("io.tally.scoreboard.api.ApiServlet");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        apiLog.addHandler(capture);
        try {
            Map<String, Object> mine = createGame("Mine", "Only");
            Map<String, Object> other = createGame("Not", "Mine");
            String scorers = "/api/games/" + id(mine) + "/scorers";
            assertEquals(401, api.post(scorers, Map.of("label", "Court 2")).status());
            ApiClient.Response issued = api.post(scorers, Map.of("label", "Court 2"), auth(TOKEN));
            assertEquals(201, issued.status(), issued.body());
            String token = (String) issued.json().get("token");
            Map<String, Object> scorer = (Map<String, Object>) issued.json().get("scorer");
            assertTrue(token.startsWith("tsc_") && token.length() >= 36, token);
            assertEquals(
                    "/console.html?id=" + id(mine) + "#token=" + token,
                    issued.json().get("link"));
            assertEquals(scorers + "/" + scorer.get("id"), issued.header("Location"));
            ApiClient.Response listed = api.get(scorers, auth(TOKEN));
            assertEquals(List.of(scorer), listed.json().get("scorers"));
            assertTrue(!listed.body().contains(token), "the token is shown once only");

            ApiClient.Response session = api.get("/api/session", auth(token));
            assertEquals("scorer", session.json().get("role"));
            assertEquals(id(mine), session.json().get("game"));
            assertEquals("admin", api.get("/api/session", auth(TOKEN)).json().get("role"));
            assertEquals(
                    200,
                    api.post("/api/games/" + id(mine) + "/events", score("home", 2), auth(token))
                            .status());
            ApiClient.Response elsewhere =
                    api.post("/api/games/" + id(other) + "/events", score("home", 2), auth(token));
            assertEquals(403, elsewhere.status());
            assertEquals("other-game", elsewhere.code());
            assertEquals(
                    "admin-only",
                    api.post("/api/games", Map.of("home", "A", "away", "B"), auth(token))
                            .code());
            assertEquals("admin-only", api.post(scorers, Map.of(), auth(token)).code());
            assertEquals(
                    404,
                    api.post("/api/games/nosuchgame/scorers", Map.of(), auth(TOKEN))
                            .status());

            java.util.function.Supplier<java.net.http.HttpRequest.Builder> delete =
                    () -> java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(server.baseUrl() + scorers + "/" + scorer.get("id")))
                            .DELETE();
            assertEquals(403, api.send(delete.get(), auth(token)).status());
            assertEquals(204, api.send(delete.get(), auth(TOKEN)).status());
            assertEquals(404, api.send(delete.get(), auth(TOKEN)).status());
            ApiClient.Response revoked = api.post("/api/games/" + id(mine) + "/events", score("home", 2), auth(token));
            assertEquals(401, revoked.status());
            assertEquals("token-invalid", revoked.code());
            assertEquals(List.of(), api.get(scorers, auth(TOKEN)).json().get("scorers"));
            assertEquals(2L, homeScore(api.get("/api/games/" + id(mine)).game()));

            assertTrue(
                    logged.stream()
                            .anyMatch(l -> l.contains("/api/games/" + id(mine) + "/events -> 200 by scorer "
                                    + scorer.get("id") + " (\"Court 2\")")),
                    logged.toString());
            assertTrue(
                    logged.stream()
                            .anyMatch(l -> l.contains(
                                    "/api/games/" + id(other) + "/events -> 403 by scorer " + scorer.get("id"))),
                    logged.toString());
            assertTrue(logged.stream().anyMatch(l -> l.contains("-> 201 by admin")), logged.toString());
            assertTrue(logged.stream().noneMatch(l -> l.contains(token) || l.contains(TOKEN)), "no token in the log");
        } finally {
            apiLog.removeHandler(capture);
        }
    }
}
