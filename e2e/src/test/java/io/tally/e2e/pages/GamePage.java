package io.tally.e2e.pages;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WebDriver;

/**
 * {@code /game.html?id=…} or {@code /games/{id}}: one game on a big screen, live; {@code /embed/{id}} is
 * the same page as a widget. Badges, clock, team colours, TV mode, sharing and the connection-lost
 * banner are read as the page shows them.
 */
public final class GamePage extends Page {
    private GamePage(WebDriver driver) {
        super(driver);
    }

    /** Opens the game through {@code base} (the balancer, or one viewer's network path) and waits until it has loaded. */
    public static GamePage open(WebDriver driver, URI base, String gameId) {
        driver.get(join(base, "/game.html?id=" + URLEncoder.encode(gameId, StandardCharsets.UTF_8)));
        GamePage page = new GamePage(driver);
        page.recordConsole();
        page.awaitLoaded();
        return page;
    }

    /** The game page already in {@code driver}'s current document or frame (e.g. a widget). */
    public static GamePage attach(WebDriver driver) {
        GamePage page = new GamePage(driver);
        page.recordConsole();
        return page;
    }

    /** Opens {@code pathAndQuery} (e.g. a bad link) without waiting for a game to be shown. */
    public static GamePage openLink(WebDriver driver, URI base, String pathAndQuery) {
        driver.get(join(base, pathAndQuery));
        GamePage page = new GamePage(driver);
        page.recordConsole();
        return page;
    }

    /** Waits until the page says why it shows no game; returns what it says. */
    public String awaitProblem() {
        return waitFor(
                "the page says what is wrong",
                LOAD,
                d -> (String)
                        js(
                                "var m = document.getElementById('game-message'); return m && !m.hidden && m.textContent ? m.textContent : null;"));
    }

    /** The link the problem message offers (home), or null. */
    public String problemLink() {
        return (String) js("var a = document.querySelector('#game-message a'); return a ? a.href : null;");
    }

    /** How many requests the page made to the games API for {@code id} (Resource Timing). */
    public long apiRequests(String id) {
        return ((Number) js(
                        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/games/' + arguments[0])).length;",
                        id))
                .longValue();
    }

    /** The status badge: LIVE, HT, BREAK, FT, or a scheduled game's start time. */
    public String badge() {
        return textContent("status");
    }

    /** Whether the badge is painted in the "live" colour (it must not be while disconnected). */
    public boolean badgeLooksLive() {
        return Boolean.TRUE.equals(js("""
            const b = document.getElementById('status');
            const probe = document.createElement('span');
            probe.style.color = 'var(--live)';
            document.body.append(probe);
            const live = getComputedStyle(probe).color;
            probe.remove();
            const s = getComputedStyle(b);
            return s.backgroundColor === live || s.color === live;
            """));
    }

    public String period() {
        return textContent("period");
    }

    /** The game clock as shown, or null when the page shows none. */
    public String clock() {
        return (String) js("var c = document.getElementById('clock'); return c.hidden ? null : c.textContent;");
    }

    public String shortName(String side) {
        return textContent(side + "-short");
    }

    /** The team's colour as painted on its block (computed border colour, "rgb(r, g, b)"). */
    public String teamColor(String side) {
        return (String) js("return getComputedStyle(document.getElementById(arguments[0])).borderTopColor;", side);
    }

    /** Set scores ("Sets 25–22  18–12"), or null when hidden. */
    public String sets() {
        return (String) js("var e = document.getElementById('sets'); return e.hidden ? null : e.textContent;");
    }

    /** The current tennis game ("Game 30–15"), or null when hidden. */
    public String points() {
        return (String) js("var e = document.getElementById('points'); return e.hidden ? null : e.textContent;");
    }

    /** Whether the "connection lost — scores may be out of date" banner is showing. */
    public boolean staleShown() {
        return Boolean.TRUE.equals(js("var e = document.getElementById('stale'); return !!e && !e.hidden;"));
    }

    public void awaitStale(boolean shown, Duration timeout) {
        waitFor(
                "the connection-lost banner " + (shown ? "shown" : "gone"),
                timeout,
                d -> staleShown() == shown ? true : null);
    }

    /** Clicks TV mode; returns whether the page is in TV mode afterwards. */
    public boolean toggleTv() {
        boolean before = tvMode();
        byTestId("tv").click();
        // (a wait's condition must not answer false: that means "not yet")
        return "on"
                .equals(waitFor("TV mode toggled", LOAD, d -> tvMode() != before ? (tvMode() ? "on" : "off") : null));
    }

    public boolean tvMode() {
        return Boolean.TRUE.equals(js("return document.body.classList.contains('tv');"));
    }

    /** Whether the header bar is visible (TV mode hides it). */
    public boolean headerVisible() {
        return Boolean.TRUE.equals(js("return getComputedStyle(document.querySelector('.bar')).display !== 'none';"));
    }

    /** Clicks Share and waits for its answer; returns {status text, link offered}. */
    public String[] share() {
        js("document.getElementById('share-status').textContent = '';");
        byTestId("share").click();
        return waitFor("the share button answered", LOAD, d -> {
            String status = textContent("share-status");
            if (status == null || status.isEmpty()) return null;
            return new String[] {status, (String) js("return document.getElementById('share-link').value;")};
        });
    }

    /** The number each event list entry shows (its list number), newest first. */
    public List<Integer> logNumbers() {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) js("return [...document.querySelectorAll('#log li')].map(li => li.value);"))
            out.add(((Number) o).intValue());
        return out;
    }

    /** Has loaded: the game's snapshot is on screen. */
    public GamePage awaitLoaded() {
        waitFor(
                "the game view shows its snapshot",
                LOAD,
                d -> js(
                        "var m = document.getElementById('game'); return m && !m.hidden && m.dataset.version ? true : null;"));
        return this;
    }

    public GamePage reload() {
        driver.navigate().refresh();
        recordConsole();
        return awaitLoaded();
    }

    public int version() {
        return Integer.parseInt((String) js("return document.getElementById('game').dataset.version;"));
    }

    public String homeName() {
        return textContent("home-name");
    }

    public String awayName() {
        return textContent("away-name");
    }

    public int homeScore() {
        return Integer.parseInt(textContent("home-score"));
    }

    public int awayScore() {
        return Integer.parseInt(textContent("away-score"));
    }

    /** Versions of the event list's entries, newest first, as shown (the page shows the last 12). */
    public List<Integer> logVersions() {
        List<Integer> out = new ArrayList<>();
        Object raw = js("return [...document.querySelectorAll('#log li')].map(li => li.dataset.version);");
        for (Object o : (List<?>) raw) out.add(Integer.parseInt(String.valueOf(o)));
        return out;
    }

    public List<String> logTexts() {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) js("return [...document.querySelectorAll('#log li')].map(li => li.textContent);"))
            out.add(String.valueOf(o));
        return out;
    }

    /** Waits until the page shows {@code version} (or later); returns what it shows. */
    public int awaitVersion(int version, Duration timeout) {
        return waitFor("version " + version + " shown (shows " + safeVersion() + ")", timeout, d -> {
            int v = safeVersion();
            return v >= version ? v : null;
        });
    }

    private int safeVersion() {
        try {
            return version();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Installs a MutationObserver on the scores that records, in the browser, when each change
     * appeared ({@code performance.timeOrigin + performance.now()}): latency without harness overhead.
     */
    public void recordScoreChanges() {
        js("""
           window.__scoreChanges = [];
           const note = () => window.__scoreChanges.push({
             t: performance.timeOrigin + performance.now(),
             home: document.getElementById('home-score').textContent,
             away: document.getElementById('away-score').textContent,
             version: document.getElementById('game').dataset.version });
           const o = new MutationObserver(note);
           for (const id of ['home-score', 'away-score']) o.observe(document.getElementById(id), {childList: true, characterData: true, subtree: true});
           window.__scoreObserver = o;
           """);
    }

    /** What {@link #recordScoreChanges()} saw: maps with t (ms), home, away, version. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> scoreChanges() {
        return (List<Map<String, Object>>) js("return window.__scoreChanges || [];");
    }

    /** Whether an alert is open or a script ran that set {@code window.__xss}. */
    public Object xssMarker() {
        return js("return window.__xss === undefined ? null : String(window.__xss);");
    }

    /** Elements inside the team names (there must be none: names are text). */
    public long elementsInsideNames() {
        return ((Number)
                        js(
                                "return document.querySelectorAll('[data-testid=home-name] *, [data-testid=away-name] *').length;"))
                .longValue();
    }
}
