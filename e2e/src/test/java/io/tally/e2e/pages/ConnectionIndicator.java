package io.tally.e2e.pages;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #connection} indicator every page shows: {@code data-status}
 * (connecting|connected|reconnecting|offline), {@code data-transport} (websocket|polling|none), the
 * label ("Live · WebSocket", "Live · long-polling") and, in its title, the server instance
 * ("server standin-1-tomcat11, 3 ms").
 */
public final class ConnectionIndicator {
    private static final Pattern INSTANCE = Pattern.compile("^server ([^,\\s]+)");
    private final Page page;

    ConnectionIndicator(Page page) {
        this.page = page;
    }

    private String attr(String name) {
        return (String) page.js(
                "var c = document.getElementById('connection'); return c ? c.getAttribute(arguments[0]) : null;", name);
    }

    public String status() {
        return attr("data-status");
    }

    public String transport() {
        return attr("data-transport");
    }

    public String label() {
        return (String) page.js(
                "var c = document.querySelector('#connection .connection-label'); return c ? c.textContent : null;");
    }

    /** The instance the page's live connection is on, or null while not connected. */
    public String instance() {
        String title = attr("title");
        if (title == null) return null;
        Matcher m = INSTANCE.matcher(title);
        return m.find() ? m.group(1) : null;
    }

    /** Waits until connected on {@code transport} ("websocket" or "polling"); returns the instance. */
    public String awaitConnected(String transport, Duration timeout) {
        return page.waitFor(
                "connected on " + transport + " (status " + status() + ", transport " + transport() + ")",
                timeout,
                d -> "connected".equals(status()) && transport.equals(transport()) ? instance() : null);
    }

    public String awaitConnected(Duration timeout) {
        return page.waitFor(
                "connected (status " + status() + ")", timeout, d -> "connected".equals(status()) ? instance() : null);
    }
}
