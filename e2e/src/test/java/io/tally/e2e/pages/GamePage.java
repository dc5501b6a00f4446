package io.tally.e2e.pages;

import org.openqa.selenium.WebDriver;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /game.html?id=…}: one game on a big screen, live. */
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

    /** Has loaded: the game's snapshot is on screen. */
    public GamePage awaitLoaded() {
        waitFor("the game view shows its snapshot", LOAD, d -> js(
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
        for (Object o : (List<?>) js("return [...document.querySelectorAll('#log li')].map(li => li.textContent);")) out.add(String.valueOf(o));
        return out;
    }

    /** Waits until the page shows {@code version} (or later); returns what it shows. */
    public int awaitVersion(int version, Duration timeout) {
        return waitFor("version " + version + " shown (shows " + safeVersion() + ")", timeout,
                d -> { int v = safeVersion(); return v >= version ? v : null; });
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
        return ((Number) js("return document.querySelectorAll('[data-testid=home-name] *, [data-testid=away-name] *').length;")).longValue();
    }
}
