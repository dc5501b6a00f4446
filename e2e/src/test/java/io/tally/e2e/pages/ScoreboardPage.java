package io.tally.e2e.pages;

import java.net.URI;
import java.time.Duration;
import org.openqa.selenium.WebDriver;

/** {@code /}: every game, live. */
public final class ScoreboardPage extends Page {
    private ScoreboardPage(WebDriver driver) {
        super(driver);
    }

    public static ScoreboardPage open(WebDriver driver, URI base) {
        driver.get(join(base, "/"));
        ScoreboardPage page = new ScoreboardPage(driver);
        page.recordConsole();
        page.awaitLoaded();
        return page;
    }

    /** Has loaded: the list of games (or the "no games" notice) is on screen. */
    public ScoreboardPage awaitLoaded() {
        waitFor(
                "the board shows its games",
                LOAD,
                d -> js(
                        "return document.querySelector('#games li') || !document.getElementById('empty').hidden ? true : null;"));
        return this;
    }

    public boolean shows(String gameId) {
        return Boolean.TRUE.equals(
                js("return !!document.querySelector(arguments[0]);", "[data-testid=\"game-" + gameId + "\"]"));
    }

    public void awaitGame(String gameId, Duration timeout) {
        waitFor("game " + gameId + " on the board", timeout, d -> shows(gameId) ? true : null);
    }

    public String homeName(String gameId) {
        return textContent("home-name-" + gameId);
    }

    public String awayName(String gameId) {
        return textContent("away-name-" + gameId);
    }

    public int homeScore(String gameId) {
        return Integer.parseInt(textContent("home-score-" + gameId));
    }

    public int awayScore(String gameId) {
        return Integer.parseInt(textContent("away-score-" + gameId));
    }

    public long elementsInsideNames(String gameId) {
        return ((Number) js(
                        "return document.querySelectorAll(arguments[0]).length;",
                        "[data-testid=\"home-name-" + gameId + "\"] *, [data-testid=\"away-name-" + gameId + "\"] *"))
                .longValue();
    }

    /** The game's badge on the board: LIVE, HT, BREAK, FT, or a start time. */
    public String badge(String gameId) {
        return textContent("status-" + gameId);
    }

    public String shortName(String gameId, String side) {
        return textContent(side + "-short-" + gameId);
    }

    /** The game's clock on the board, or null when it shows none. */
    public String clock(String gameId) {
        return (String) js(
                "var c = document.querySelector(arguments[0]); return !c || c.hidden ? null : c.textContent;",
                "[data-testid=\"clock-" + gameId + "\"]");
    }

    public void awaitBadge(String gameId, String badge, Duration timeout) {
        waitFor(
                "game " + gameId + " badge " + badge + " (shows " + badge(gameId) + ")",
                timeout,
                d -> badge.equals(badge(gameId)) ? true : null);
    }

    public boolean staleShown() {
        return Boolean.TRUE.equals(js("var e = document.getElementById('stale'); return !!e && !e.hidden;"));
    }
}
