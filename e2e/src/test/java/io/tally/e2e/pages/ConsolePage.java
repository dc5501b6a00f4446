package io.tally.e2e.pages;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code /console.html[?id=…]}: the scorer console. The token lives in the tab's sessionStorage. */
public final class ConsolePage extends Page {
    private ConsolePage(WebDriver driver) {
        super(driver);
    }

    /** Opens the console (on a game when {@code gameId} is not null) and waits until it has loaded. */
    public static ConsolePage open(WebDriver driver, URI base, String gameId) {
        driver.get(join(base, "/console.html" + (gameId == null ? "" : "?id=" + URLEncoder.encode(gameId, StandardCharsets.UTF_8))));
        ConsolePage page = new ConsolePage(driver);
        page.recordConsole();
        page.awaitLoaded(gameId);
        return page;
    }

    /** Has loaded: live (so the game list was fetched), and the chosen game (if any) is on screen. */
    public ConsolePage awaitLoaded(String gameId) {
        waitFor("the console connected", LOAD, d -> "connected".equals(connection().status()) ? true : null);
        if (gameId != null) waitFor("the console shows game " + gameId, LOAD, d -> js(
                "var s = document.getElementById('scorer'); return !s.hidden && s.dataset.version ? true : null;"));
        return this;
    }

    /** Types a token, submits it and waits for the verdict; returns token-status's data-state ("ok" or "rejected"). */
    public String useToken(String token) {
        js("document.getElementById('token-status').dataset.state = 'none';");
        WebElement field = byTestId("token");
        field.clear();
        field.sendKeys(token);
        byTestId("token-save").click();
        return waitFor("the token checked", LOAD, d -> {
            String s = tokenState();
            return "none".equals(s) ? null : s;
        });
    }

    public String tokenState() {
        return byTestId("token-status").getAttribute("data-state");
    }

    public String tokenStatusText() {
        return textContent("token-status");
    }

    /** The visible error, or null when none is shown. */
    public String errorText() {
        return (String) js("var e = document.getElementById('console-error'); return e.hidden ? null : e.textContent;");
    }

    public String errorCode() {
        return (String) js("var e = document.getElementById('console-error'); return e.hidden ? null : (e.dataset.code || '');");
    }

    public String messageText() {
        return textContent("console-message");
    }

    public void setFollow(boolean on) {
        WebElement box = byTestId("follow");
        if (box.isSelected() != on) box.click();
        waitFor("follow " + on, LOAD, d -> byTestId("follow").isSelected() == on ? true : null);
    }

    public int version() {
        return Integer.parseInt(textContent("c-version"));
    }

    public int homeScore() {
        return Integer.parseInt(textContent("c-home-score"));
    }

    public int awayScore() {
        return Integer.parseInt(textContent("c-away-score"));
    }

    /** Records, in the browser, when each score button is clicked ({@code performance.timeOrigin + performance.now()}). */
    public void recordClicks() {
        js("""
           window.__clicks = [];
           document.addEventListener('click', (e) => {
             const b = e.target.closest('button[data-points]');
             if (b) window.__clicks.push(performance.timeOrigin + performance.now());
           }, true);
           """);
    }

    public double lastClickTime() {
        return ((Number) js("return window.__clicks[window.__clicks.length - 1];")).doubleValue();
    }

    /** Clicks a score button ("home" or "away", points 1, 2, 3 or -1) without waiting for the answer. */
    public void clickScore(String team, int points) {
        byTestId(team + (points > 0 ? "-plus-" + points : "-minus-" + (-points))).click();
    }

    /** Clicks a score button and waits until the server's answer is on screen (a new version, or an error). */
    public void score(String team, int points) {
        int before = version();
        js("document.getElementById('console-error').hidden = true;");
        clickScore(team, points);
        waitFor("the console's change answered", LOAD, d -> version() > before || errorText() != null ? true : null);
    }

    /** Waits until the console shows {@code version} or later. */
    public void awaitVersion(int version, Duration timeout) {
        waitFor("console at version " + version, timeout, d -> version() >= version ? true : null);
    }

    /** Creates a game through the form; returns its id once the console shows it. */
    public String createGame(String sport, String home, String away) {
        byTestId("new-sport").clear();
        byTestId("new-sport").sendKeys(sport);
        byTestId("new-home").sendKeys(home);
        byTestId("new-away").sendKeys(away);
        byTestId("create").click();
        return waitFor("the new game chosen", LOAD, d -> (String) js(
                "var s = document.getElementById('scorer'); var id = new URLSearchParams(location.search).get('id');"
                        + " return !s.hidden && id && document.getElementById('c-home-name').textContent === arguments[0] ? id : null;", home));
    }

    public String homeName() {
        return textContent("c-home-name");
    }

    public String awayName() {
        return textContent("c-away-name");
    }
}
