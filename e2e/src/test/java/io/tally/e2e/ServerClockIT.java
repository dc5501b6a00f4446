package io.tally.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code client.serverNow()} in real browsers whose clock is 30 s off (the page's {@code Date} is
 * shifted before tally.js loads): it agrees with the server's clock within 100 ms, over WebSocket
 * (welcome, pings) and over long-polling (poll answers). Server and browser share this machine's
 * clock, so the test reads the server's clock directly.
 */
class ServerClockIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long AGREEMENT_MILLIS = 100;
    private static TallyServer server;
    private static final BrowserPool browsers = new BrowserPool();

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    private Browser browser;

    @BeforeAll
    static void start() {
        server = TallyServer.start(Map.of()).withOpenRooms();
    }

    @AfterAll
    static void stop() {
        try {
            browsers.close();
        } finally {
            if (server != null) server.stop();
        }
    }

    @AfterEach
    void leave() {
        try {
            if (browser != null) browser.driver().get("about:blank");
        } catch (WebDriverException e) {
            System.err.println("could not leave the page in " + browser + ": " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}, clock {1} ms off, {2}")
    @CsvSource({
        "chromium, 30000, websocket",
        "webkit, -30000, websocket",
        "chromium, -30000, polling",
        "webkit, 30000, polling"
    })
    void serverNowAgreesWithTheServerWithin100MillisecondsWhateverThePagesClock(
            String engine, long skew, String transport) {
        browser = artifacts.watch(browsers.get(engine));
        ClientTestPage page = ClientTestPage.open(
                browser.driver(),
                server.baseUrl(),
                "rooms=clock-" + engine + "&transports=" + transport + "&skew=" + skew,
                WAIT);
        page.waitForState("connected", transport);
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        // Enough samples for a median: WebSocket takes quick pings after the welcome; polling one per
        // answer, so the room gets messages to answer polls with.
        new WebDriverWait(browser.driver(), WAIT)
                .withMessage("clock samples")
                .pollingEvery(Duration.ofMillis(300))
                .until(d -> {
                    if (transport.equals("polling")) server.realtime().publish("clock-" + engine, "{\"tick\":true}");
                    return ((Number) js.executeScript("return window.tallyClient.debug.clock().samples.length"))
                                    .intValue()
                            >= 3;
                });
        long worst = 0;
        for (int i = 0; i < 5; i++) {
            long before = System.currentTimeMillis();
            @SuppressWarnings("unchecked")
            List<Number> r = (List<Number>) js.executeScript("return [window.tallyClient.serverNow(), Date.now()]");
            long after = System.currentTimeMillis();
            long serverNow = r.get(0).longValue();
            long pageNow = r.get(1).longValue();
            assertTrue(
                    Math.abs(pageNow - before - skew) < 1_000 + (after - before),
                    "the page's own clock is " + skew + " ms off (page " + pageNow + ", real " + before + ")");
            // The script ran somewhere between before and after: serverNow() must be within 100 ms of that window.
            assertTrue(
                    serverNow >= before - AGREEMENT_MILLIS && serverNow <= after + AGREEMENT_MILLIS,
                    "serverNow() " + serverNow + " vs the server's clock " + before + ".." + after + " ("
                            + (serverNow - (before + after) / 2) + " ms)");
            worst = Math.max(worst, Math.abs(serverNow - (before + after) / 2));
        }
        System.out.println("ServerClockIT " + engine + " " + transport + " skew " + skew + " ms: serverNow() within "
                + worst + " ms of the server's clock (midpoint of the script call)");
    }
}
