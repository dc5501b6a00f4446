package io.tally.e2e.browser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * One browser under WebDriver plus everything started for it (driver process, display, profile
 * directory). {@link #close()} quits the session and stops those in reverse order of starting.
 */
public final class Browser implements AutoCloseable {
    private final String name;
    private final WebDriver driver;
    private final boolean driverReadsConsole;
    private final Deque<AutoCloseable> started;

    Browser(String name, WebDriver driver, boolean driverReadsConsole, Deque<AutoCloseable> started) {
        this.name = name;
        this.driver = driver;
        this.driverReadsConsole = driverReadsConsole;
        this.started = new ArrayDeque<>(started);
    }

    /** "chromium" or "webkit": used in test names and artefact folders. */
    public String name() {
        return name;
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * The page's console output. Chromium's driver keeps the browser log; WebKitWebDriver has no log
     * endpoint, so for it this reads what a Tally page recorded in {@code window.__tallyConsole}.
     */
    public List<String> consoleLog() {
        List<String> lines = new ArrayList<>();
        if (driverReadsConsole) {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                lines.add(e.getTimestamp() + " " + e.getLevel() + " " + e.getMessage());
            }
            return lines;
        }
        Object recorded = ((JavascriptExecutor) driver).executeScript("return window.__tallyConsole || null;");
        if (recorded instanceof List<?> l) l.forEach(x -> lines.add(String.valueOf(x)));
        else lines.add("(this page records no console output and " + name + "'s driver cannot read it)");
        return lines;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            driver.quit();
        } catch (RuntimeException e) {
            failure = e;
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("could not stop " + name + " resources", e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    @Override
    public String toString() {
        return name;
    }
}
