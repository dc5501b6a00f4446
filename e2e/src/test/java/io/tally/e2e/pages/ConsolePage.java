package io.tally.e2e.pages;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code /console.html[?id=…]}: the scorer console. The token lives in the tab's sessionStorage (or
 * localStorage when remembered). Answers to changes appear in the feedback line next to the control
 * used ({@code home-feedback}, {@code clock-feedback}, …); page-level errors in {@code console-error}.
 */
public final class ConsolePage extends Page {
    private ConsolePage(WebDriver driver) {
        super(driver);
    }

    /** Opens the console (on a game when {@code gameId} is not null) and waits until it has loaded. */
    public static ConsolePage open(WebDriver driver, URI base, String gameId) {
        driver.get(join(
                base,
                "/console.html" + (gameId == null ? "" : "?id=" + URLEncoder.encode(gameId, StandardCharsets.UTF_8))));
        ConsolePage page = new ConsolePage(driver);
        page.recordConsole();
        page.awaitLoaded(gameId);
        return page;
    }

    /** Opens a scorer link (the console with a token in its fragment) and waits until the console has loaded. */
    public static ConsolePage openLink(WebDriver driver, String link) {
        driver.get(link);
        ConsolePage page = new ConsolePage(driver);
        page.recordConsole();
        String id = URI.create(link).getQuery().replaceFirst("^id=", "");
        page.awaitLoaded(id);
        return page;
    }

    public org.openqa.selenium.WebElement byTestIdPublic(String testId) {
        return byTestId(testId);
    }

    /** Has loaded: live (so the game list was fetched), and the chosen game (if any) is on screen. */
    public ConsolePage awaitLoaded(String gameId) {
        waitFor(
                "the console connected",
                LOAD,
                d -> "connected".equals(connection().status()) ? true : null);
        if (gameId != null)
            waitFor(
                    "the console shows game " + gameId,
                    LOAD,
                    d -> js(
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

    /** The visible error (at the top, or next to the control used), or null when none is shown. */
    public String errorText() {
        return (String)
                js(
                        "var e = document.getElementById('console-error'); if (!e.hidden) return e.textContent;"
                                + " var f = document.querySelector('[data-feedback][data-state=\"error\"]'); return f ? f.textContent : null;");
    }

    public String errorCode() {
        return (String)
                js(
                        "var e = document.getElementById('console-error'); if (!e.hidden) return e.dataset.code || '';"
                                + " var f = document.querySelector('[data-feedback][data-state=\"error\"]'); return f ? (f.dataset.code || '') : null;");
    }

    /** The feedback line {@code where} (e.g. "home", "clock", "status"): its state ("ok", "error", "pending" or "") and text. */
    public String feedbackState(String where) {
        String s = byTestId(where + "-feedback").getAttribute("data-state");
        return s == null ? "" : s;
    }

    public String feedbackText(String where) {
        return textContent(where + "-feedback");
    }

    /** Waits until the feedback line {@code where} has an answer (not pending); returns its state. */
    public String awaitFeedback(String where) {
        return waitFor(where + " feedback", LOAD, d -> {
            String s = feedbackState(where);
            return s.isEmpty() || s.equals("pending") ? null : s;
        });
    }

    /** Whether the feedback line sits next to the buttons it answers (within 300 CSS px below the group). */
    public double feedbackDistance(String team) {
        return ((Number) js(
                        "var b = document.getElementById(arguments[0] + '-buttons').getBoundingClientRect();"
                                + " var f = document.getElementById(arguments[0] + '-feedback').getBoundingClientRect(); return f.top - b.bottom;",
                        team))
                .doubleValue();
    }

    /** The data-testids of a team's score buttons, in order. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> scoreButtons(String team) {
        return (java.util.List<String>) js(
                "return [...document.querySelectorAll('#' + arguments[0] + '-buttons button')].map(b => b.dataset.testid);",
                team);
    }

    public boolean isEnabled(String testId) {
        return byTestId(testId).isEnabled();
    }

    public String hint() {
        return (String) js("var h = document.getElementById('c-hint'); return h.hidden ? null : h.textContent;");
    }

    /** Clicks a control and waits for its answer in feedback line {@code where}; returns the state. */
    public String press(String testId, String where) {
        js("document.getElementById(arguments[0] + '-feedback').removeAttribute('data-state');", where);
        byTestId(testId).click();
        return awaitFeedback(where);
    }

    /** Presses a key with nothing focused (a desktop shortcut) and waits for the answer in {@code where}. */
    public String pressKey(String key, String where) {
        js(
                "document.activeElement && document.activeElement.blur(); document.getElementById(arguments[0] + '-feedback').removeAttribute('data-state');",
                where);
        new org.openqa.selenium.interactions.Actions(driver()).sendKeys(key).perform();
        return awaitFeedback(where);
    }

    public String status() {
        return textContent("c-status");
    }

    public String clockText() {
        return textContent("c-clock");
    }

    public boolean clockRunning() {
        return "true".equals(byTestId("c-clock").getAttribute("data-running"));
    }

    public boolean clockShown() {
        return byTestId("clock-panel").isDisplayed();
    }

    public String setsText(String team) {
        return textContent("c-" + team + "-sets");
    }

    /** The game list's text for {@code gameId}. */
    public String optionText(String gameId) {
        return (String) js(
                "var o = [...document.getElementById('game-select').options].find(x => x.value === arguments[0]); return o ? o.textContent : null;",
                gameId);
    }

    public boolean createPanelShown() {
        return byTestId("new-home").isDisplayed();
    }

    /** As the admin: creates a scorer link for the game on screen; returns the link. */
    public String createScorerLink(String label) {
        js("document.getElementById('scorer-links').open = true;");
        byTestId("scorer-label").sendKeys(label);
        String state = press("scorer-create", "scorer");
        if (!"ok".equals(state)) throw new AssertionError("scorer link not created: " + feedbackText("scorer"));
        return byTestId("scorer-link").getAttribute("value");
    }

    /** As the admin: revokes every scorer link of the game on screen. */
    public void revokeAll() {
        js("document.getElementById('scorer-links').open = true;");
        waitFor("a scorer listed", LOAD, d -> js("return document.querySelector('[data-revoke]') ? true : null;"));
        press((String) js("return document.querySelector('[data-revoke]').dataset.testid;"), "scorer");
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
        byTestId(team + (points > 0 ? "-plus-" + points : "-minus-" + (-points)))
                .click();
    }

    /** Clicks a score button and waits until the server's answer is on screen (a new version, or an error). */
    public void score(String team, int points) {
        int before = version();
        js("document.getElementById('console-error').hidden = true;"
                + " for (const f of document.querySelectorAll('[data-feedback]')) f.removeAttribute('data-state');");
        clickScore(team, points);
        waitFor("the console's change answered", LOAD, d -> version() > before || errorText() != null ? true : null);
    }

    /** Waits until the console shows {@code version} or later. */
    public void awaitVersion(int version, Duration timeout) {
        waitFor("console at version " + version, timeout, d -> version() >= version ? true : null);
    }

    /** Creates a game through the form; returns its id once the console shows it. */
    public String createGame(String sport, String home, String away) {
        js("document.getElementById('new-sport').value = arguments[0];", sport);
        byTestId("new-home").sendKeys(home);
        byTestId("new-away").sendKeys(away);
        byTestId("create").click();
        return waitFor("the new game chosen", LOAD, d -> (String) js(
                "var s = document.getElementById('scorer'); var id = new URLSearchParams(location.search).get('id');"
                        + " return !s.hidden && id && document.getElementById('c-home-name').textContent === arguments[0] ? id : null;",
                home));
    }

    public String homeName() {
        return textContent("c-home-name");
    }

    public String awayName() {
        return textContent("c-away-name");
    }
}
