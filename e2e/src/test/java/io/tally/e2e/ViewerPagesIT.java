package io.tally.e2e;

import static io.tally.e2e.CannedGames.clock;
import static io.tally.e2e.CannedGames.game;
import static io.tally.e2e.CannedGames.team;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.e2e.pages.GamePage;
import io.tally.e2e.pages.Page;
import io.tally.e2e.pages.ScoreboardPage;
import io.tally.json.Json;
import io.tally.standin.NetworkPath;
import io.tally.testing.Http;
import io.tally.testing.TallyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;

/**
 * The viewers' pages in Chromium and WebKitGTK against one embedded Tally (heartbeat 500 ms, dead
 * peer after 1 s more) behind a pausable network path: badges, team colours and short names, set
 * scores and tennis points, the game clock, TV mode, sharing, the connection-lost state, the
 * widget on another site, light and dark, and the dead ends. Games with the new fields (CONTRACT.md)
 * come from {@link CannedGames}; games from the real API render as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerPagesIT {
    private static final String TOKEN = "viewer-pages-token-0123456789";
    private static final Duration WAIT = Page.LOAD;

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    private final BrowserPool browsers = new BrowserPool();
    private TallyServer server;
    private NetworkPath path;
    private URI base;
    private HttpServer clubSite;

    @BeforeAll
    void start() throws IOException {
        server = TallyServer.start(
                "127.0.0.1",
                0,
                Map.of(
                        "TALLY_ADMIN_TOKEN",
                        TOKEN,
                        "TALLY_SAMPLE_GAME",
                        "false",
                        "TALLY_HEARTBEAT_MS",
                        "500",
                        "TALLY_PEER_TIMEOUT_MS",
                        "1000",
                        "TALLY_DRAIN_WINDOW_MS",
                        "0"),
                Map.of(),
                context -> cannedGames(CannedGames.install(context, false)));
        path = new NetworkPath(server.port());
        base = path.url();
    }

    static void cannedGames(CannedGames canned) {
        // A game as stored before teams had short names and colours and games had clocks and sets.
        canned.add(
                        "c-old",
                        now -> game(
                                "c-old",
                                "basketball",
                                team("Old Town", null, null, 40),
                                team("New Town", null, null, 38),
                                "Q3",
                                "live",
                                Map.of()))
                .add(
                        "c-volley",
                        now -> game(
                                "c-volley",
                                "volleyball",
                                team("Harbour Hawks", "HAW", "#552583", 1),
                                team("Valley Foxes", "FOX", "#ffd33d", 1),
                                "Set 3",
                                "live",
                                Map.of(
                                        "sets",
                                        List.of(
                                                Map.of("home", 25, "away", 22),
                                                Map.of("home", 18, "away", 25),
                                                Map.of("home", 12, "away", 9)))))
                .add(
                        "c-tennis",
                        now -> game(
                                "c-tennis",
                                "tennis",
                                team("A. Novak", "NOV", "#0b6e4f", 1),
                                team("B. Ruiz", "RUI", null, 0),
                                "",
                                "live",
                                Map.of(
                                        "sets",
                                        List.of(Map.of("home", 6, "away", 4), Map.of("home", 3, "away", 2)),
                                        "point",
                                        Map.of("home", "30", "away", "AD"))))
                .add(
                        "c-running",
                        now -> game(
                                "c-running",
                                "basketball",
                                team("Lakers", "LAL", "#552583", 54),
                                team("Celtics", "BOS", "#007a33", 50),
                                "Q2",
                                "live",
                                Map.of("clock", clock(true, "down", 431_000, now - 1_000))))
                .add(
                        "c-stopped",
                        now -> game(
                                "c-stopped",
                                "hockey",
                                team("Ice", null, null, 1),
                                team("Fire", null, null, 1),
                                "P2",
                                "live",
                                Map.of("clock", clock(false, "down", 300_000, now - 60_000))))
                .add(
                        "c-up",
                        now -> game(
                                "c-up",
                                "soccer",
                                team("Rovers", "ROV", "#1d4ed8", 2),
                                team("United", "UTD", "#dc2626", 1),
                                "2nd half",
                                "live",
                                Map.of("clock", clock(true, "up", 59 * 60_000 + 58_000, now))))
                .add(
                        "c-half",
                        now -> game(
                                "c-half",
                                "soccer",
                                team("Rovers", "ROV", "#1d4ed8", 1),
                                team("United", "UTD", "#dc2626", 0),
                                "1st half",
                                "break",
                                Map.of("clock", clock(false, "up", 45 * 60_000, now))))
                .add(
                        "c-later",
                        now -> game(
                                "c-later",
                                "basketball",
                                team("Lakers", "LAL", "#552583", 0),
                                team("Celtics", "BOS", "#007a33", 0),
                                "",
                                "scheduled",
                                Map.of("startsAt", "2026-12-24T19:30:00Z")))
                .add(
                        "c-hostile-color",
                        now -> game(
                                "c-hostile-color",
                                "custom",
                                team("Reds", "RED", "red;background:url(x)", 3),
                                team("Blues", "BLU", "#0000ff", 4),
                                "",
                                "final",
                                Map.of()));
    }

    @AfterAll
    void stop() {
        try {
            browsers.close();
        } finally {
            if (clubSite != null) clubSite.stop(0);
            if (path != null) path.close();
            if (server != null) server.stop();
        }
    }

    @AfterEach
    void leave() {
        path.resume();
        for (String e : List.of("chromium", "webkit")) {
            try {
                browsers.get(e).driver().get("about:blank");
            } catch (RuntimeException ignored) {
                // a broken browser is replaced by the pool on next use
            }
        }
    }

    private WebDriver browser(String engine) {
        Browser b = browsers.get(engine);
        artifacts.watch(b);
        return b.driver();
    }

    private String createGame(String home, String away, String status) {
        HttpResponse<String> r = Http.post(
                server.baseUrl() + "/api/games",
                "application/json",
                "{\"sport\":\"basketball\",\"home\":\"" + home + "\",\"away\":\"" + away + "\",\"status\":\"" + status
                        + "\"}",
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(201, r.statusCode(), r.body());
        return (String) ((Map<?, ?>) ((Map<?, ?>) Json.parse(r.body())).get("game")).get("id");
    }

    private void event(String id, String json) {
        HttpResponse<String> r = Http.post(
                server.baseUrl() + "/api/games/" + id + "/events",
                "application/json",
                json,
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(200, r.statusCode(), r.body());
    }

    // ---- what a game shows ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void badgesShortNamesColoursSetsAndPoints(String engine) {
        WebDriver d = browser(engine);
        GamePage volley = GamePage.open(d, base, "c-volley");
        assertEquals("LIVE", volley.badge());
        assertEquals("HAW", volley.shortName("home"));
        assertEquals("Harbour Hawks", volley.homeName());
        assertEquals("rgb(85, 37, 131)", volley.teamColor("home"));
        assertEquals("rgb(255, 211, 61)", volley.teamColor("away"));
        assertEquals("Sets 25–22  18–25  12–9", volley.sets());
        assertNull(volley.points());
        assertNull(volley.clock(), "volleyball has no clock");

        GamePage tennis = GamePage.open(d, base, "c-tennis");
        assertEquals("Game 30–AD", tennis.points());
        assertEquals("Sets 6–4  3–2", tennis.sets());
        assertEquals("RUI", tennis.shortName("away"));

        assertEquals("HT", GamePage.open(d, base, "c-half").badge());
        GamePage later = GamePage.open(d, base, "c-later");
        assertTrue(
                Pattern.compile("\\d{1,2}[:.]\\d{2}").matcher(later.badge()).find(),
                "a scheduled game shows its start time: " + later.badge());
        GamePage hostile = GamePage.open(d, base, "c-hostile-color");
        assertEquals("FT", hostile.badge());
        assertEquals("rgb(0, 0, 255)", hostile.teamColor("away"));
        assertNotEquals("rgb(255, 0, 0)", hostile.teamColor("home"), "a colour that is not #rrggbb is not used");

        // A game stored before these fields existed: names, no colours, no clock, no sets.
        GamePage old = GamePage.open(d, base, "c-old");
        assertEquals("LIVE", old.badge());
        assertEquals("", old.shortName("home"), "no short name: only the name is shown");
        assertNull(old.clock());
        assertNull(old.sets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void aRunningClockCountsFromTheServersStateAndAStoppedOneStandsStill(String engine) {
        WebDriver d = browser(engine);
        GamePage running = GamePage.open(d, base, "c-running");
        // 431 s at server time `at`, one second before the page loaded: 7:10 or a little less.
        String first = running.waitFor("the clock shown", WAIT, x -> running.clock());
        assertTrue(Pattern.matches("7:(0\\d|10)", first), first);
        String later = running.waitFor("the clock moved on", WAIT, x -> {
            String now = running.clock();
            return now != null && !now.equals(first) ? now : null;
        });
        assertTrue(later.compareTo(first) < 0, "counting down: " + first + " then " + later);

        GamePage up = GamePage.open(d, base, "c-up");
        // 59:58 counting up passes the hour: h:mm:ss from then on.
        up.waitFor(
                "the clock past the hour (shows " + up.clock() + ")",
                WAIT,
                x -> Pattern.matches("1:00:0\\d", String.valueOf(up.clock())) ? true : null);

        GamePage stopped = GamePage.open(d, base, "c-stopped");
        assertEquals("5:00", stopped.clock());
        assertEquals("false", stopped.js("return document.getElementById('clock').dataset.running;"));
        // Stopped means still: a frame later it has not moved.
        stopped.js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
        assertEquals("5:00", stopped.clock());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void theBoardShowsBadgesAndShortNamesForRealGames(String engine) {
        WebDriver d = browser(engine);
        String live = createGame("Board Live", "Board Away", "live");
        String done = createGame("Board Final", "Board Away", "live");
        event(done, "{\"type\":\"status\",\"status\":\"final\"}");
        String soon = createGame("Board Later", "Board Away", "scheduled");
        ScoreboardPage board = ScoreboardPage.open(d, base);
        board.awaitGame(soon, WAIT);
        assertEquals("LIVE", board.badge(live));
        assertEquals("FT", board.badge(done));
        assertEquals("Scheduled", board.badge(soon));
        assertEquals("", board.shortName(live, "home"));
        event(soon, "{\"type\":\"status\",\"status\":\"live\"}");
        board.awaitBadge(soon, "LIVE", WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void undoNamesTheEntryItUndidAndTheListNumbersAreVersions(String engine) {
        WebDriver d = browser(engine);
        String id = createGame("Undo Home", "Undo Away", "live");
        event(id, "{\"type\":\"score\",\"team\":\"home\",\"points\":2}");
        event(id, "{\"type\":\"score\",\"team\":\"away\",\"points\":3}");
        GamePage page = GamePage.open(d, base, id);
        int before = page.version();
        HttpResponse<String> undo = Http.post(
                server.baseUrl() + "/api/games/" + id + "/undo",
                "application/json",
                "{}",
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(200, undo.statusCode(), undo.body());
        page.awaitVersion(before + 1, WAIT);
        assertEquals("Undo: Undo Away +3 (3)", page.logTexts().get(0));
        assertEquals(page.logVersions(), page.logNumbers(), "each entry is numbered by its version");
    }

    /**
     * An event published after the page read its snapshot but before its subscribe reached the
     * server must still arrive: the page subscribes from the snapshot's position, not from "now".
     * Chromium holds the page's subscribe frames (CDP) until the undo is saved and published.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chromium"})
    void anEventBetweenTheSnapshotAndTheSubscribeStillArrives(String engine) {
        WebDriver d = browser(engine);
        HasCdp cdp = (HasCdp) d;
        String id = createGame("Gap Home", "Gap Away", "live");
        event(id, "{\"type\":\"score\",\"team\":\"home\",\"points\":2}");
        Map<String, Object> script = cdp.executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument",
                Map.of(
                        "source",
                        "(() => { const send = WebSocket.prototype.send; const held = [];"
                                + " window.releaseSubscribes = () => { window.releaseSubscribes = null;"
                                + " for (const [ws, f] of held.splice(0)) send.call(ws, f); };"
                                + " WebSocket.prototype.send = function (f) {"
                                + " if (window.releaseSubscribes && String(f).includes('\"subscribe\"'))"
                                + " held.push([this, f]); else send.call(this, f); }; })();"));
        try {
            GamePage page = GamePage.open(d, base, id);
            assertEquals(2, page.version());
            HttpResponse<String> undo = Http.post(
                    server.baseUrl() + "/api/games/" + id + "/undo",
                    "application/json",
                    "{}",
                    "Authorization",
                    "Bearer " + TOKEN);
            assertEquals(200, undo.statusCode(), undo.body());
            page.connection().awaitConnected(WAIT);
            page.js("window.releaseSubscribes();");
            page.awaitVersion(3, WAIT);
        } finally {
            cdp.executeCdpCommand(
                    "Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script.get("identifier")));
        }
    }

    // ---- connection lost ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void aLostConnectionSaysScoresMayBeStaleAndNothingLooksLive(String engine) {
        WebDriver d = browser(engine);
        String id = createGame("Stale Home", "Stale Away", "live");
        GamePage page = GamePage.open(d, base, id);
        page.connection().awaitConnected(WAIT);
        assertFalse(page.staleShown());
        assertTrue(page.badgeLooksLive(), "connected: LIVE in the live colour");

        path.pause(); // silent: only the client's heartbeat timer can notice (1.5 s)
        page.awaitStale(true, WAIT);
        assertFalse(page.badgeLooksLive(), "disconnected: LIVE must not look live");
        assertNotEquals("connected", page.connection().status());
        assertTrue(page.js("return document.getElementById('stale').textContent;")
                .toString()
                .contains("scores may be out of date"));

        path.resume();
        page.connection().awaitConnected(WAIT);
        page.awaitStale(false, WAIT);
        assertTrue(page.badgeLooksLive());
    }

    // ---- TV mode and sharing ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void tvModeFillsTheScreenAndShareGivesTheGamesLink(String engine) {
        WebDriver d = browser(engine);
        String id = createGame("Share Home", "Share Away", "live");
        GamePage page = GamePage.open(d, base, id);
        assertTrue(page.headerVisible());
        assertTrue(page.toggleTv());
        assertFalse(page.headerVisible(), "TV mode hides everything but the game");
        assertFalse(page.toggleTv());
        assertTrue(page.headerVisible());

        String[] shared = page.share();
        assertTrue(List.of("Link copied.", "Copy this link:", "Shared.").contains(shared[0]), shared[0]);
        if (!shared[0].equals("Shared.")) assertEquals(base + "/games/" + id, shared[1]);

        // The shared link opens the same game (served with its preview tags).
        GamePage viaLink = GamePage.openLink(d, base, "/games/" + id).awaitLoaded();
        assertEquals("Share Home", viaLink.homeName());
        assertTrue(d.getTitle().startsWith("Share Home 0–0 Share Away"), d.getTitle());
        // ?tv=1 opens straight into TV mode (a kiosk TV with no keyboard).
        assertTrue(GamePage.openLink(d, base, "/games/" + id + "?tv=1")
                .awaitLoaded()
                .tvMode());
    }

    // ---- the widget ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void theWidgetShowsTheScoreOnAnotherSite(String engine) throws IOException {
        WebDriver d = browser(engine);
        String id = createGame("Club Home", "Club Away", "live");
        event(id, "{\"type\":\"score\",\"team\":\"home\",\"points\":2}");
        URI club = clubSite();
        d.get(club + "/club?game=" + id + "&src=" + base);
        d.switchTo().frame(await(d, By.cssSelector("iframe[src*='/embed/']")));
        try {
            GamePage widget = GamePage.attach(d).awaitLoaded();
            assertEquals("Club Home", widget.homeName());
            assertEquals(2, widget.homeScore());
            assertTrue((Boolean) widget.js("return document.body.classList.contains('embed');"));
            event(id, "{\"type\":\"score\",\"team\":\"away\",\"points\":3}");
            widget.waitFor("the widget live", WAIT, x -> widget.awayScore() == 3 ? true : null);
        } finally {
            d.switchTo().defaultContent();
        }
        // The full page refuses to be framed by the same site.
        d.get(club + "/frame?url=" + base + "/games/" + id);
        d.switchTo().frame(await(d, By.tagName("iframe")));
        try {
            Object framed = d.findElements(By.id("game")).size();
            assertEquals(0, ((Number) framed).intValue(), "/games/{id} must not render inside another site's frame");
        } finally {
            d.switchTo().defaultContent();
        }
    }

    private static org.openqa.selenium.WebElement await(WebDriver d, By by) {
        return new org.openqa.selenium.support.ui.WebDriverWait(d, WAIT)
                .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(by));
    }

    /** A club's site on another origin (another port): the one-line snippet, or any page in a frame. */
    private URI clubSite() throws IOException {
        if (clubSite == null) {
            clubSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            clubSite.createContext("/", exchange -> {
                Map<String, String> q = new java.util.HashMap<>();
                String raw = exchange.getRequestURI().getRawQuery();
                if (raw != null)
                    for (String kv : raw.split("&")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0)
                            q.put(
                                    kv.substring(0, eq),
                                    java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                String body = exchange.getRequestURI().getPath().equals("/club")
                        ? "<!doctype html><title>Club</title><h1>Our club</h1><script src=\"" + q.get("src")
                                + "/js/embed.js\" data-game=\"" + q.get("game") + "\"></script>"
                        : "<!doctype html><title>Frame</title><iframe src=\"" + q.get("url")
                                + "\" width=600 height=400></iframe>";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            clubSite.start();
        }
        return URI.create("http://127.0.0.1:" + clubSite.getAddress().getPort());
    }

    // ---- light and dark ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void theColoursFollowTheSystemsPreference(String engine) {
        WebDriver d = browser(engine);
        ScoreboardPage board = ScoreboardPage.open(d, base);
        String light = "rgb(246, 248, 250)";
        String dark = "rgb(13, 17, 23)";
        boolean prefersLight = (Boolean) board.js("return matchMedia('(prefers-color-scheme: light)').matches;");
        assertEquals(prefersLight ? light : dark, background(board));
        if (d instanceof HasCdp cdp) {
            for (String scheme : List.of("light", "dark")) {
                cdp.executeCdpCommand(
                        "Emulation.setEmulatedMedia",
                        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                String want = scheme.equals("light") ? light : dark;
                board.waitFor(scheme + " background", WAIT, x -> want.equals(background(board)) ? true : null);
            }
            cdp.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    private static String background(Page page) {
        return (String) page.js("return getComputedStyle(document.body).backgroundColor;");
    }

    // ---- no dead ends ----

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void badLinksSayWhatIsWrongAndStopAsking(String engine) {
        WebDriver d = browser(engine);
        GamePage none = GamePage.openLink(d, base, "/game.html");
        assertTrue(none.awaitProblem().startsWith("No game chosen"), none.awaitProblem());
        assertEquals(base + "/", none.problemLink());
        assertEquals(
                "true",
                String.valueOf(none.js("return document.getElementById('connection').hidden;")),
                "no \"Connecting…\" forever");

        GamePage slash = GamePage.openLink(d, base, "/game.html?id=a%2Fb");
        assertTrue(slash.awaitProblem().contains("not valid"), slash.awaitProblem());
        assertEquals(0, slash.apiRequests("a"), "a malformed id is never sent");

        GamePage unknown = GamePage.openLink(d, base, "/games/nosuchgame");
        assertTrue(unknown.awaitProblem().startsWith("There is no such game"), unknown.awaitProblem());
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // the first retry would come after ~1 s
        unknown.waitFor("no retry of a 404", Duration.ofSeconds(10), x -> {
            assertEquals(1, unknown.apiRequests("nosuchgame"), "a 404 is an answer: asked once");
            return System.nanoTime() - deadline >= 0 ? true : null;
        });

        // A shared link that gained a trailing %2F still opens its game.
        String id = createGame("Slash Home", "Slash Away", "live");
        assertEquals(
                "Slash Home",
                GamePage.openLink(d, base, "/game.html?id=" + id + "%2F")
                        .awaitLoaded()
                        .homeName());
        assertEquals(
                "Slash Home",
                GamePage.openLink(d, base, "/games/" + id + "/").awaitLoaded().homeName());

        d.get(base + "/no/such/page");
        assertEquals(
                "Not Found",
                d.findElement(By.cssSelector("[data-testid=error-title]")).getText());
        assertEquals(
                base + "/",
                d.findElement(By.cssSelector("[data-testid=error-home]")).getAttribute("href"));
        assertFalse(d.getPageSource().contains("Tomcat"));
    }
}
