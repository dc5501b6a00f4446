package io.tally.scoreboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tally.testing.TallyServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The app's own check of its pages in headless Chromium (the full cross-browser suite lives in e2e/):
 * a scorer uses the console in one browser, a viewer watches the board and the big screen in another,
 * and the score arrives; a hostile team name is shown as text; no page breaks its CSP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesSmokeIT {
    private static final String TOKEN = ScoreboardApiContract.TOKEN;
    private TallyServer server;
    private WebDriver scorer;
    private WebDriver viewer;

    @BeforeAll
    void start() {
        assumeTrue(
                new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
                "Chromium is not installed");
        assumeTrue(Files.isRegularFile(Path.of("webapp/js/tally.js")), "webapp/js/tally.js is not here yet");
        server = TallyServer.start(Map.of("TALLY_ADMIN_TOKEN", TOKEN));
        scorer = chromium();
        viewer = chromium();
    }

    @AfterAll
    void stop() {
        if (scorer != null) scorer.quit();
        if (viewer != null) viewer.quit();
        if (server != null) server.stop();
    }

    private static WebDriver chromium() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .build();
        return new ChromeDriver(service, o);
    }

    private static WebElement byTestId(WebDriver d, String id) {
        return d.findElement(By.cssSelector("[data-testid=\"" + id + "\"]"));
    }

    private static void waitFor(WebDriver d, java.util.function.Function<WebDriver, Boolean> condition) {
        try {
            new WebDriverWait(d, Duration.ofSeconds(10)).until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            StringBuilder why = new StringBuilder("timed out on " + d.getCurrentUrl() + "\n");
            for (LogEntry l : d.manage().logs().get(LogType.BROWSER).getAll())
                why.append(l.getMessage()).append('\n');
            why.append(d.findElement(By.tagName("body")).getText());
            throw new AssertionError(why.toString(), e);
        }
    }

    /** Kept under target/pages-smoke/ for a person to look at the pages. */
    private static void screenshot(WebDriver d, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target/pages-smoke"));
            byte[] png =
                    ((org.openqa.selenium.TakesScreenshot) d).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            Files.write(dir.resolve(name + ".png"), png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoCspViolations(WebDriver d) {
        List<LogEntry> entries = d.manage().logs().get(LogType.BROWSER).getAll();
        for (LogEntry e : entries) {
            String m = e.getMessage();
            assertTrue(!m.contains("Content Security Policy") && !m.contains("Uncaught"), m);
        }
    }

    @Test
    void aScoreEnteredInTheConsoleAppearsOnTheBoardAndTheBigScreen() {
        String evil = "<img src=x onerror=window.__pwned=1>";
        scorer.get(server.baseUrl() + "/console.html");
        byTestId(scorer, "token").clear();
        byTestId(scorer, "token").sendKeys(TOKEN);
        // What the form would submit without JavaScript (the form data set): a POST, and not the token.
        assertEquals(
                "post",
                ((JavascriptExecutor) scorer).executeScript("return document.getElementById('token-form').method"));
        assertEquals(
                0L,
                ((JavascriptExecutor) scorer)
                        .executeScript("return [...new FormData(document.getElementById('token-form'))].length"));
        byTestId(scorer, "token-save").click();
        waitFor(scorer, d -> "ok".equals(byTestId(d, "token-status").getAttribute("data-state")));
        byTestId(scorer, "new-home").sendKeys(evil);
        byTestId(scorer, "new-away").sendKeys("Otters");
        byTestId(scorer, "create").click();
        waitFor(
                scorer,
                d -> byTestId(d, "scorer").isDisplayed()
                        && evil.equals(byTestId(d, "c-home-name").getText()));
        String id = (String)
                ((JavascriptExecutor) scorer).executeScript("return new URLSearchParams(location.search).get('id')");

        viewer.get(server.baseUrl() + "/");
        waitFor(viewer, d -> "connected"
                .equals(d.findElement(By.id("connection")).getAttribute("data-status")));
        assertEquals("websocket", viewer.findElement(By.id("connection")).getAttribute("data-transport"));
        waitFor(viewer, d -> !d.findElements(By.cssSelector("[data-testid=\"home-score-" + id + "\"]"))
                .isEmpty());
        assertEquals(evil, byTestId(viewer, "home-name-" + id).getText());

        byTestId(scorer, "home-plus-3").click();
        byTestId(scorer, "home-plus-2").click();
        waitFor(viewer, d -> "5".equals(byTestId(d, "home-score-" + id).getText()));
        screenshot(viewer, "board");

        viewer.get(server.baseUrl() + "/game.html?id=" + id);
        waitFor(viewer, d -> "5".equals(byTestId(d, "home-score").getText()));
        byTestId(scorer, "away-plus-1").click();
        waitFor(viewer, d -> "1".equals(byTestId(d, "away-score").getText()));
        // Two undos: the first names an entry the page got live, the second one it got in its snapshot.
        byTestId(scorer, "undo").click();
        byTestId(scorer, "undo").click();
        waitFor(
                viewer,
                d -> "0".equals(byTestId(d, "away-score").getText())
                        && "3".equals(byTestId(d, "home-score").getText()));
        assertEquals(
                serverLog(id),
                ((JavascriptExecutor) viewer)
                        .executeScript(
                                "return [...document.querySelectorAll('#log li')].map(li => li.dataset.version + (li.classList.contains('undone') ? ' undone' : '')).join(',')"),
                "the page's own log (snapshot + messages) is the server's");
        screenshot(viewer, "game");
        viewer.manage().window().setSize(new org.openqa.selenium.Dimension(1920, 1080));
        screenshot(viewer, "game-big-screen");
        viewer.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        screenshot(viewer, "game-phone");
        viewer.get(server.baseUrl() + "/");
        waitFor(viewer, d -> "3".equals(byTestId(d, "home-score-" + id).getText()));
        screenshot(viewer, "board-phone");
        screenshot(scorer, "console");
        assertEquals(
                null,
                ((JavascriptExecutor) viewer)
                        .executeScript("return window.__pwned === undefined ? null : window.__pwned"));
        assertNoCspViolations(viewer);
        assertNoCspViolations(scorer);
    }

    /** The server's log of a game as the big screen lists it: newest first, "version[ undone]". */
    @SuppressWarnings("unchecked")
    private String serverLog(String id) {
        List<Map<String, Object>> log = (List<Map<String, Object>>)
                new ApiClient(server.baseUrl()).get("/api/games/" + id).game().get("log");
        List<String> out = new java.util.ArrayList<>();
        for (int i = log.size() - 1; i >= 0 && out.size() < 12; i--) {
            out.add(log.get(i).get("version") + (Boolean.TRUE.equals(log.get(i).get("undone")) ? " undone" : ""));
        }
        return String.join(",", out);
    }

    @Test
    void theConsoleExplainsAWrongTokenAndAConflict() {
        scorer.get(server.baseUrl() + "/console.html?id=sample");
        byTestId(scorer, "token").clear();
        byTestId(scorer, "token").sendKeys("not-the-token-at-all");
        byTestId(scorer, "token-save").click();
        waitFor(scorer, d -> "rejected".equals(byTestId(d, "token-status").getAttribute("data-state")));
        assertTrue(byTestId(scorer, "console-error").getText().contains("not correct"));

        byTestId(scorer, "token").clear();
        byTestId(scorer, "token").sendKeys(TOKEN);
        byTestId(scorer, "token-save").click();
        waitFor(scorer, d -> "ok".equals(byTestId(d, "token-status").getAttribute("data-state")));
        waitFor(scorer, d -> byTestId(d, "scorer").isDisplayed());
        byTestId(scorer, "follow").click(); // stop following: this scorer's screen goes stale
        String before = byTestId(scorer, "c-version").getText();
        new ApiClient(server.baseUrl())
                .post("/api/games/sample/events", ApiClient.score("away", 1), ApiClient.auth(TOKEN));
        byTestId(scorer, "home-plus-1").click();
        // The answer appears next to the button pressed.
        waitFor(scorer, d -> "version-mismatch"
                .equals(byTestId(d, "home-feedback").getAttribute("data-code")));
        assertTrue(byTestId(scorer, "home-feedback").getText().contains("Someone else changed this game"));
        assertEquals(
                Long.parseLong(before) + 1,
                Long.parseLong(byTestId(scorer, "c-version").getText()),
                "the screen caught up");
    }
}
