package io.tally.standin;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.Browsers;
import io.tally.testing.Await;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Debian's headless Chromium ({@link Browsers#chromium()}), for checks of the stand-in from a real
 * browser: its own Origin and Host headers, its own WebSocket stack.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Opens a WebSocket from the page; reports "open:FIRST-MESSAGE" or "failed:CLOSE-CODE". */
    static final String TRY_WEBSOCKET = """
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/live/ws');
            let finished = false;
            const finish = r => { if (!finished) { finished = true; try { ws.close(); } catch (e) {} done(r); } };
            ws.onmessage = e => finish('open:' + e.data);
            ws.onclose = e => finish('failed:' + e.code);
            setTimeout(() => finish('timeout'), 10000);
            """;

    /** GET /live/poll from the page; reports "STATUS:BODY". */
    static final String POLL = """
            const done = arguments[arguments.length - 1];
            fetch('/live/poll').then(r => r.text().then(t => done(r.status + ':' + t))).catch(e => done('error:' + e));
            """;

    private final Browser browser;
    private final WebDriver driver;

    HeadlessChromium() {
        browser = Browsers.chromium();
        driver = browser.driver();
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    /** Loads {@code url} and runs an asynchronous script in it. */
    String run(String url, String script) {
        driver.get(url);
        return String.valueOf(((JavascriptExecutor) driver).executeAsyncScript(script));
    }

    /**
     * Loads {@code url} and waits until the element {@code id} has {@code attribute} = {@code value};
     * returns the element's text, or fails with it after {@code timeout}.
     */
    String awaitAttribute(String url, String id, String attribute, String value, Duration timeout) {
        driver.get(url);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        String read =
                "const e = document.getElementById(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;";
        try {
            Await.until(
                    id + "[" + attribute + "] = " + value,
                    timeout,
                    () -> value.equals(js.executeScript(read, id, attribute)));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; page shows: " + text(id), e);
        }
        return text(id);
    }

    /** The current value of an attribute of the element {@code id} on the loaded page. */
    String attribute(String id, String attribute) {
        return String.valueOf(((JavascriptExecutor) driver)
                .executeScript(
                        "const e = document.getElementById(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                        id,
                        attribute));
    }

    private String text(String id) {
        Object t = ((JavascriptExecutor) driver)
                .executeScript(
                        "const e = document.getElementById(arguments[0]); return e ? e.textContent : '(no #' + arguments[0] + ')';",
                        id);
        return String.valueOf(t);
    }

    @Override
    public void close() {
        browser.close();
    }
}
