package io.tally.e2e.browser;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.WebDriverException;

/**
 * One browser per engine, reused by the tests of a class: starting Chromium or WebKitGTK costs a
 * second or two, navigating costs milliseconds. Each test still starts from a clean page, because
 * {@code driver.get} unloads the previous one (closing its WebSockets and aborting its requests).
 * A browser that stopped answering is replaced. Close the pool in {@code @AfterAll}.
 */
public final class BrowserPool implements AutoCloseable {
    private final Map<String, Browser> browsers = new LinkedHashMap<>();

    /** A live browser of this engine ("chromium" or "webkit"), started on first use. */
    public synchronized Browser get(String engine) {
        Browser b = browsers.get(engine);
        if (b != null && !answers(b)) {
            browsers.remove(engine);
            closeQuietly(b);
            b = null;
        }
        if (b == null) {
            b = Browsers.open(engine);
            browsers.put(engine, b);
        }
        return b;
    }

    private static boolean answers(Browser b) {
        try {
            b.driver().getWindowHandle();
            return true;
        } catch (WebDriverException e) {
            return false;
        }
    }

    private static void closeQuietly(Browser b) {
        try {
            b.close();
        } catch (RuntimeException e) {
            // it was already broken; its processes are stopped as far as they can be
        }
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (Browser b : browsers.values()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        browsers.clear();
        if (failure != null) throw failure;
    }
}
