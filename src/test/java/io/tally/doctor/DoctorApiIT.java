package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.testing.Http;
import io.tally.testing.RawWebSocket;
import io.tally.testing.TallyServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The doctor's JSON endpoints and page on the embedded server (in-memory broker), over real HTTP. */
class DoctorApiIT {
    static TallyServer server;

    @BeforeAll
    static void start() {
        server = TallyServer.start(
                Map.of("TALLY_INSTANCE_ID", "doc-1", "TALLY_HEARTBEAT_MS", "1000", "TALLY_LB_IDLE_TIMEOUT_S", "120"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static Map<String, Object> json(HttpResponse<String> r) {
        assertEquals(
                "application/json;charset=UTF-8",
                r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        return Json.parseObject(r.body(), 16);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void configReportsTimingsAndTheIdleTimeoutsItWasConfiguredFor() {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/doctor/api/config");
        assertEquals(200, r.statusCode());
        Map<String, Object> c = json(r);
        assertEquals("doc-1", c.get("instance"));
        assertEquals(1000L, ((Number) c.get("heartbeatMs")).longValue());
        assertEquals(25000L, ((Number) c.get("pollHoldMs")).longValue());
        assertEquals(
                300L,
                ((Number) c.get("proxyIdleTimeoutS")).longValue(),
                "default matches .platform/nginx proxy_read_timeout");
        assertEquals(120L, ((Number) c.get("lbIdleTimeoutS")).longValue());
        assertEquals("Apache Tomcat/11", c.get("container"), "major version only");
        assertEquals("pass", map(c.get("verdict")).get("status"));
    }

    @Test
    void configWarnsWhenTheHeartbeatIsNotBelowTheIdleTimeout() {
        try (TallyServer slow =
                TallyServer.start(Map.of("TALLY_HEARTBEAT_MS", "60000", "TALLY_LB_IDLE_TIMEOUT_S", "60"))) {
            Map<String, Object> v =
                    map(json(Http.get(slow.baseUrl() + "/doctor/api/config")).get("verdict"));
            assertEquals("warn", v.get("status"));
            assertTrue(
                    String.valueOf(v.get("summary"))
                            .contains("heartbeat 60 s is not shorter than the load balancer's 60 s"),
                    v.toString());
        }
    }

    @Test
    void redisOnTheMemoryBrokerSaysSoAndKnowsOnlyThisInstance() {
        Map<String, Object> r = json(Http.get(server.baseUrl() + "/doctor/api/redis"));
        assertEquals("memory", r.get("mode"));
        assertEquals(true, r.get("available"));
        assertEquals("local", r.get("presence"));
        assertEquals(List.of(Map.of("id", "doc-1", "lastSeenMs", 0L)), r.get("instances"));
        Map<String, Object> v = map(r.get("verdict"));
        assertEquals("pass", v.get("status"));
        assertTrue(String.valueOf(v.get("summary")).contains("REDIS_URL is not set"), v.toString());
    }

    @Test
    void whoamiTellsWhetherTheStickinessCookieCameButNeverItsValue() {
        HttpResponse<String> r = Http.get(
                server.baseUrl() + "/doctor/api/whoami?origin=https://scores.example",
                "Cookie",
                "AWSALB=secretvalue123; other=1",
                "X-Forwarded-Proto",
                "https");
        Map<String, Object> w = json(r);
        assertEquals("doc-1", w.get("instance"));
        assertEquals(true, w.get("awsalbCookie"));
        assertEquals(false, w.get("awsalbcorsCookie"));
        assertEquals("https", w.get("forwardedProto"));
        assertEquals("https://127.0.0.1:" + server.port(), w.get("originSeenAs"));
        assertEquals(false, w.get("originMatches"));
        assertFalse(r.body().contains("secretvalue123"));

        Map<String, Object> same = json(Http.get(server.baseUrl() + "/doctor/api/whoami?origin=" + server.baseUrl()));
        assertEquals(false, same.get("awsalbCookie"));
        assertEquals(true, same.get("originMatches"));
    }

    @Test
    void aHandshakeStrippedOfItsUpgradeHeaderIsExplainedAndRecordedForThePage() {
        Map<String, Object> start = json(Http.get(server.baseUrl() + "/doctor/api/upgrade-probe"));
        String nonce = (String) start.get("nonce");
        assertTrue(nonce.matches("[A-Za-z0-9_-]{8,64}"), nonce);
        Map<String, Object> since = map(start.get("since"));
        assertNotNull(since.get("epoch"));

        // What nginx forwards when it drops Upgrade/Connection: the rest of the handshake, as a plain GET.
        HttpResponse<String> stripped =
                Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/live/ws?doctor-probe=" + nonce))
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .timeout(Duration.ofSeconds(10))
                        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                        .header("Sec-WebSocket-Version", "13")
                        .header("Origin", server.baseUrl())
                        .GET()
                        .build());
        assertEquals(400, stripped.statusCode());
        assertEquals(
                "application/problem+json",
                stripped.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        Map<String, Object> problem = Json.parseObject(stripped.body(), 8);
        assertEquals("upgrade-stripped", problem.get("code"));
        assertTrue(String.valueOf(problem.get("detail")).contains("proxy"), problem.toString());

        Map<String, Object> found = json(Http.get(server.baseUrl() + "/doctor/api/upgrade-probe?nonce=" + nonce
                + "&epoch=" + since.get("epoch") + "&offset=" + since.get("offset")));
        assertEquals(true, found.get("seen"));
        assertEquals("doc-1", found.get("instance"));
        assertNull(found.get("upgrade"));
        assertEquals(true, found.get("webSocketKey"));

        Map<String, Object> unknown =
                json(Http.get(server.baseUrl() + "/doctor/api/upgrade-probe?nonce=neverusednonce1"));
        assertEquals(false, unknown.get("seen"));
    }

    @Test
    void aPlainVisitToTheWebSocketUrlGetsWordsNotA404() {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/live/ws");
        assertEquals(400, r.statusCode());
        assertEquals("not-websocket", Json.parseObject(r.body(), 8).get("code"));
    }

    @Test
    void aRealUpgradeWithAProbeNonceStillGetsTheWelcome() {
        try (RawWebSocket ws =
                RawWebSocket.connect(server.wsUrl() + "?doctor-probe=abcdefgh1234", server.baseUrl(), true)) {
            Map<String, Object> welcome = ws.nextOfType("welcome");
            assertEquals("doc-1", welcome.get("instance"));
        }
    }

    @Test
    void doctorRedirectsToThePageWhichCarriesEveryCheck() {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/doctor");
        assertEquals(302, r.statusCode());
        assertEquals(
                "/doctor/",
                URI.create(r.headers().firstValue("Location").orElseThrow()).getPath());
        HttpResponse<String> page = Http.get(server.baseUrl() + "/doctor/");
        assertEquals(200, page.statusCode());
        for (String id : List.of(
                "websocket", "polling", "instances", "rtt", "capacity", "idle", "platform", "config", "redis", "tls")) {
            assertTrue(page.body().contains("id=\"check-" + id + "\""), id);
        }
        assertFalse(page.body().contains("<script>"), "no inline scripts (CSP script-src 'self')");
        assertFalse(page.body().contains("style=\""), "no inline styles (CSP style-src 'self')");
        assertEquals(200, Http.get(server.baseUrl() + "/doctor/doctor.js").statusCode());
    }

    @Test
    void holdAnswersOnlyAfterItsSecondsAndIsBounded() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.get(server.baseUrl() + "/doctor/api/hold?s=1");
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(took >= 1_000, "answered after " + took + " ms");
        assertEquals("doc-1", json(r).get("instance"));
        for (String bad : List.of("0", "331", "x", "")) {
            HttpResponse<String> b = Http.get(server.baseUrl() + "/doctor/api/hold?s=" + bad);
            assertEquals(400, b.statusCode(), bad);
            assertEquals("bad-hold", json(b).get("code"));
        }
        // More at once than an instance holds: the rest are refused at once, the held ones still answer.
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new java.util.ArrayList<>();
        for (int i = 0; i < SilentHoldServlet.MAX_HELD + 4; i++) {
            all.add(client.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/doctor/api/hold?s=3"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (var f : all) {
            HttpResponse<String> x = f.get(40, java.util.concurrent.TimeUnit.SECONDS);
            if (x.statusCode() == 200) ok++;
            if (x.statusCode() == 429) {
                refused++;
                assertEquals("too-many-holds", json(x).get("code"));
            }
        }
        assertEquals(SilentHoldServlet.MAX_HELD + 4, ok + refused);
        assertTrue(ok <= SilentHoldServlet.MAX_HELD && refused >= 4, ok + " held, " + refused + " refused");
        assertEquals(200, Http.get(server.baseUrl() + "/doctor/api/hold?s=1").statusCode(), "slots are free again");
    }

    @Test
    void findingsCarryTheFixTextsBothClientsShow() {
        Map<String, Object> answer = json(Http.get(server.baseUrl() + "/doctor/api/findings"));
        Map<String, Object> fixes = map(answer.get("fixes"));
        // The whole catalogue as the page reads it: severity, title, fix and doc links per finding.
        Map<String, Object> stripped = map(map(answer.get("findings")).get("websocket.upgrade-stripped"));
        assertEquals("fail", stripped.get("severity"));
        assertEquals(Findings.fix("websocket.upgrade-stripped"), stripped.get("fix"));
        assertTrue(String.valueOf(stripped.get("docs")).contains("https://nginx.org/"), stripped.toString());
        assertEquals(Findings.all().keySet(), map(answer.get("findings")).keySet());
        assertTrue(
                String.valueOf(fixes.get(Findings.NGINX_CONNECTIONS)).contains("worker_connections"), fixes.toString());
        assertTrue(String.valueOf(fixes.get(Findings.PLATFORM_NGINX)).contains("tally-bundle.zip"), fixes.toString());
        assertEquals(Findings.fix(Findings.PLATFORM_BALANCER), fixes.get(Findings.PLATFORM_BALANCER));
    }

    @Test
    void unknownDoctorEndpointIs404Json() {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/doctor/api/nope");
        assertEquals(404, r.statusCode());
        assertEquals(404L, ((Number) json(r).get("status")).longValue());
    }
}
