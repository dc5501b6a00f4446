package io.tally.scoreboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.json.Json;
import io.tally.testing.Http;
import io.tally.testing.TallyServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The game pages as a link-preview crawler and a browser meet them, on embedded Tomcat 11: the
 * server-rendered tags (escaped), the widget route that other sites may frame while nothing else may,
 * and no dead ends: a bad id or path answers our own page (for browsers) or problem+json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GamePagesIT {
    private static final String TOKEN = "pages-test-token-0123456789";
    private static final String HOSTILE = "\"><script>window.__xss=1</script>";
    private TallyServer server;
    private String id;

    @BeforeAll
    void start() {
        server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", TOKEN, "TALLY_SAMPLE_GAME", "false"));
        HttpResponse<String> created = Http.post(
                server.baseUrl() + "/api/games",
                "application/json",
                "{\"sport\":\"basketball\",\"home\":" + quote(HOSTILE)
                        + ",\"away\":\"O'Brien & Sons\",\"status\":\"live\",\"period\":\"Q2\"}",
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(201, created.statusCode(), created.body());
        id = (String) ((Map<?, ?>) ((Map<?, ?>) Json.parse(created.body())).get("game")).get("id");
        HttpResponse<String> scored = Http.post(
                server.baseUrl() + "/api/games/" + id + "/events",
                "application/json",
                "{\"type\":\"score\",\"team\":\"home\",\"points\":3}",
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(200, scored.statusCode(), scored.body());
    }

    @AfterAll
    void stop() {
        if (server != null) server.stop();
    }

    private HttpResponse<String> get(String path, String... headers) {
        return Http.get(server.baseUrl() + path, headers);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void aGamesLinkPreviewsWithTheScoreAndNoMarkupFromNames() {
        for (String path :
                new String[] {"/games/" + id, "/game.html?id=" + id, "/games/" + id + "/", "/game.html?id=" + id + "%2F"
                }) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            String body = r.body();
            String title = "&quot;&gt;&lt;script&gt;window.__xss=1&lt;/script&gt; 3–0 O&#39;Brien &amp; Sons · Tally";
            assertTrue(body.contains("<title>" + title + "</title>"), path + ": " + body);
            assertTrue(body.contains("<meta property=\"og:title\" content=\"" + title + "\">"), path);
            assertTrue(body.contains("content=\"Basketball · Live · Q2 · live score on Tally\""), path);
            assertFalse(body.contains("<script>window.__xss"), path);
            // The page's own files resolve from any depth.
            assertTrue(body.contains("<script type=\"module\" src=\"/js/game.js\"></script>"), path);
            assertTrue(body.contains("href=\"/css/tally.css\""), path);
        }
    }

    @Test
    void theWidgetMayBeFramedAndNothingElseMay() {
        HttpResponse<String> embed = get("/embed/" + id);
        assertEquals(200, embed.statusCode());
        assertTrue(embed.body().contains("<body class=\"game-page embed\">"), embed.body());
        assertTrue(embed.headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow()
                .endsWith("frame-ancestors *"));
        assertTrue(embed.headers().firstValue("X-Frame-Options").isEmpty());
        for (String path :
                new String[] {"/games/" + id, "/", "/console.html", "/api/games", "/embedx", "/js/embed.js"}) {
            HttpResponse<String> r = get(path);
            assertTrue(
                    r.headers()
                            .firstValue("Content-Security-Policy")
                            .orElseThrow()
                            .endsWith("frame-ancestors 'none'"),
                    path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
        }
        assertEquals(200, get("/js/embed.js").statusCode());
    }

    @Test
    void embedOriginsCanBeListedOrTurnedOff() {
        try (TallyServer listed = TallyServer.start(
                        Map.of("TALLY_ADMIN_TOKEN", TOKEN, "TALLY_EMBED_ORIGINS", "https://club.example"));
                TallyServer off =
                        TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", TOKEN, "TALLY_EMBED_ORIGINS", "none"))) {
            HttpResponse<String> r = Http.get(listed.baseUrl() + "/embed/sample");
            assertTrue(r.headers()
                    .firstValue("Content-Security-Policy")
                    .orElseThrow()
                    .endsWith("frame-ancestors https://club.example"));
            HttpResponse<String> o = Http.get(off.baseUrl() + "/embed/sample");
            assertTrue(o.headers()
                    .firstValue("Content-Security-Policy")
                    .orElseThrow()
                    .endsWith("frame-ancestors 'none'"));
            assertEquals("DENY", o.headers().firstValue("X-Frame-Options").orElse(null));
        }
    }

    @Test
    void badIdsAnswerOurPageWith404() {
        for (String path : new String[] {
            "/games/nosuchgame",
            "/games/a/b",
            "/games/",
            "/games/%3Cx%3E",
            "/embed/nosuchgame",
            "/game.html?id=a%2Fb",
            "/game.html?id=nosuchgame"
        }) {
            HttpResponse<String> r = get(path, "Accept", "text/html");
            assertEquals(404, r.statusCode(), path);
            assertTrue(
                    r.body().contains("<main id=\"game\""), path + " answers the game page, which says what is wrong");
            assertTrue(r.body().contains("<title>Tally · live scores</title>"), path);
        }
        assertEquals(200, get("/game.html").statusCode(), "the page itself, which says no game is chosen");
    }

    @Test
    void unknownPathsAnswerOurOwnPageToBrowsersAndProblemJsonToPrograms() {
        HttpResponse<String> page = get("/no/such/page", "Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("There is nothing at this address"), page.body());
        assertTrue(page.body().contains("<a href=\"/\" data-testid=\"error-home\">See all games</a>"), page.body());
        assertFalse(page.body().contains("Tomcat"), page.body());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));

        HttpResponse<String> program = get("/no/such/page");
        assertEquals(404, program.statusCode());
        assertTrue(program.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        HttpResponse<String> api = get("/api/nothing-here", "Accept", "text/html");
        assertTrue(api.headers().firstValue("Content-Type").orElse("").contains("json"), "the API always answers JSON");
        HttpResponse<String> missing = get("/api/games/nosuchgame", "Accept", "text/html");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").contains("json"));
    }
}
