package io.tally.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Page object for {@code webapp/dev/client-test.html}: the browser client on a bare page that
 * renders its state and every message it delivers. It offers services and waits; it asserts
 * nothing except that the page has loaded.
 */
public final class ClientTestPage {
    /** One delivered message as the page shows it. */
    public record Received(String room, String epoch, String offset, String data) {}

    private final WebDriver driver;
    private final WebDriverWait wait;

    private ClientTestPage(WebDriver driver, Duration timeout) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, timeout);
    }

    /** Opens the page at {@code baseUrl + /dev/client-test.html?query} and waits for its module. */
    public static ClientTestPage open(WebDriver driver, String baseUrl, String query, Duration timeout) {
        driver.get(baseUrl + "/dev/client-test.html" + (query.isEmpty() ? "" : "?" + query));
        ClientTestPage page = new ClientTestPage(driver, timeout);
        page.wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        return page;
    }

    /** Waits for a status and transport ("" for none); compares DOM attributes exactly. */
    public ClientTestPage waitForState(String status, String transport) {
        wait.withMessage(() -> "state " + status + "/" + transport + ", page shows " + stateText())
                .until(d -> status.equals(status()) && transport.equals(transport()));
        return this;
    }

    public ClientTestPage waitForCount(int count) {
        wait.withMessage(() -> count + " messages, page shows " + count() + " (" + stateText() + ")")
                .until(ExpectedConditions.attributeToBe(By.id("count"), "data-count", String.valueOf(count)));
        return this;
    }

    public ClientTestPage waitForCountAbove(int count) {
        wait.withMessage(() -> "more than " + count + " messages, page shows " + count() + " (" + stateText() + ")")
                .until(d -> count() > count);
        return this;
    }

    /** Waits until {@code n} subscriptions know their position (acked, or given a {@code since}). */
    public ClientTestPage waitForSubscribed(int n) {
        wait.withMessage(() -> n + " subscriptions with a position")
                .until(d -> ((Number) ((JavascriptExecutor) d)
                                        .executeScript(
                                                "return window.tallySubscriptions.filter(s => s.position).length;"))
                                .intValue()
                        >= n);
        return this;
    }

    public ClientTestPage waitForTransportHistory(String history) {
        wait.withMessage(() -> "transports " + history + ", page shows " + transportHistory())
                .until(ExpectedConditions.attributeToBe(By.id("transports"), "data-history", history));
        return this;
    }

    /** Waits for the client to report a history gap (a {@code reset}) with this reason. */
    public ClientTestPage waitForReset(String reason) {
        wait.withMessage(() -> "a reset (" + reason + ")")
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#resets li[data-reason='" + reason + "']")));
        return this;
    }

    /** Waits for a subscription's error, reported to its {@code onError}. */
    public ClientTestPage waitForError(String room, String code) {
        wait.withMessage(() -> "an error " + code + " for " + room)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#errors li[data-room='" + room + "'][data-code='" + code + "']")));
        return this;
    }

    public ClientTestPage forceTransport(String transport) {
        driver.findElement(By.id("force-" + transport)).click();
        return this;
    }

    public ClientTestPage dropConnection() {
        driver.findElement(By.id("drop")).click();
        return this;
    }

    public String status() {
        return driver.findElement(By.id("state")).getDomAttribute("data-status");
    }

    public String transport() {
        return driver.findElement(By.id("state")).getDomAttribute("data-transport");
    }

    public String instance() {
        return driver.findElement(By.id("state")).getDomAttribute("data-instance");
    }

    /** How many times the client arrived at "connected" (first connect, reconnects, switches). */
    public int connects() {
        return Integer.parseInt(driver.findElement(By.id("state")).getDomAttribute("data-connects"));
    }

    /** Waits until the client has measured a round-trip time (ms, a whole number). */
    public ClientTestPage waitForRtt() {
        wait.withMessage(() -> "a round-trip time, page shows " + stateText()).until(d -> d.findElement(By.id("state"))
                .getDomAttribute("data-rtt")
                .matches("\\d+"));
        return this;
    }

    public String transportHistory() {
        return driver.findElement(By.id("transports")).getDomAttribute("data-history");
    }

    public int count() {
        return Integer.parseInt(driver.findElement(By.id("count")).getDomAttribute("data-count"));
    }

    /** Every message delivered so far, in delivery order (one script call, not one per element). */
    @SuppressWarnings("unchecked")
    public List<Received> received() {
        List<Map<String, String>> rows = (List<Map<String, String>>) ((JavascriptExecutor) driver)
                .executeScript("return [...document.querySelectorAll('#log li')].map(li => ({room: li.dataset.room,"
                        + " epoch: li.dataset.epoch, offset: li.dataset.offset, data: li.textContent}));");
        return rows.stream()
                .map(r -> new Received(r.get("room"), r.get("epoch"), r.get("offset"), r.get("data")))
                .toList();
    }

    private String stateText() {
        return driver.findElement(By.id("state")).getText();
    }
}
