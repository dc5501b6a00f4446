package io.tally.e2e.pages;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * What the three Tally pages share: the driver, explicit waits (never sleeps), lookups by
 * {@code data-testid}, the connection indicator, and a console recorder for engines whose driver
 * cannot read the browser log (WebKitWebDriver).
 */
public abstract class Page {
    /** Generous: other builds share this 2-core machine. Bounds the issue states are asserted separately. */
    public static final Duration LOAD = Duration.ofSeconds(45);

    protected final WebDriver driver;

    protected Page(WebDriver driver) {
        this.driver = driver;
    }

    public WebDriver driver() {
        return driver;
    }

    protected static String join(URI base, String pathAndQuery) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + pathAndQuery;
    }

    protected By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    protected WebElement byTestId(String id) {
        return driver.findElement(testId(id));
    }

    protected String text(String testId) {
        return byTestId(testId).getText();
    }

    /** textContent (not the rendered text): hidden elements and exact strings, as the page set them. */
    protected String textContent(String testId) {
        return (String) js(
                "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                "[data-testid=\"" + testId + "\"]");
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until {@code condition} returns a non-null, non-false value; {@code what} names it in the failure. */
    public <T> T waitFor(String what, Duration timeout, Function<WebDriver, T> condition) {
        return new FluentWait<>(driver)
                .withTimeout(timeout)
                .pollingEvery(Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what)
                .until(condition);
    }

    public ConnectionIndicator connection() {
        return new ConnectionIndicator(this);
    }

    /** Records console output in {@code window.__tallyConsole} from now on (for the failure artefacts). */
    public void recordConsole() {
        js("""
           if (window.__tallyConsole) return;
           window.__tallyConsole = [];
           for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
             const original = console[level].bind(console);
             console[level] = (...args) => {
               try { window.__tallyConsole.push(new Date().toISOString() + ' ' + level + ' ' + args.map(String).join(' ')); } catch (e) {}
               original(...args);
             };
           }
           window.addEventListener('error', (e) => window.__tallyConsole.push(new Date().toISOString() + ' uncaught ' + e.message));
           window.addEventListener('unhandledrejection', (e) => window.__tallyConsole.push(new Date().toISOString() + ' unhandled ' + e.reason));
           """);
    }

    /** Wall-clock time in the browser, in ms with fractions: {@code performance.timeOrigin + performance.now()}. */
    public double browserNow() {
        return ((Number) js("return performance.timeOrigin + performance.now();")).doubleValue();
    }
}
