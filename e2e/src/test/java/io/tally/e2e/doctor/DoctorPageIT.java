package io.tally.e2e.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.testing.TallyServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The doctor page in both supported engines against one embedded instance (in-memory broker): the
 * page's own code works in Chromium and WebKit, every check passes, and the rerun button runs it again.
 */
class DoctorPageIT {
    private static TallyServer server;
    /** One browser per engine for the class: each test loads the page afresh. */
    private static final BrowserPool browsers = new BrowserPool();

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    @BeforeAll
    static void start() {
        server = TallyServer.start(Map.of("TALLY_INSTANCE_ID", "page-1", "TALLY_HEARTBEAT_MS", "1000"));
    }

    @AfterAll
    static void stop() {
        try {
            browsers.close();
        } finally {
            if (server != null) server.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium", "webkit"})
    void aSingleInstanceOnTheMemoryBrokerPassesEveryCheck(String engine) {
        Browser browser = artifacts.watch(browsers.get(engine));
        DoctorPage page = DoctorPage.open(browser.driver(), server.baseUrl(), "idle=2&hold=2", Duration.ofSeconds(60));
        for (Map.Entry<String, String> e : page.statuses().entrySet()) {
            assertEquals("pass", e.getValue(), e.getKey() + page.describe());
        }
        assertTrue(page.summary("websocket").contains("page-1"), page.describe());
        assertTrue(page.summary("redis").contains("In-memory broker"), page.describe());
        assertTrue(page.summary("idle").contains("Kept idle 2 s"), page.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chromium"})
    void skippingTheIdleCheckIsAWarningNotAFailure(String engine) {
        Browser browser = artifacts.watch(browsers.get(engine));
        DoctorPage page = DoctorPage.open(browser.driver(), server.baseUrl(), "idle=0&hold=2", Duration.ofSeconds(60));
        assertEquals("warn", page.status("idle"), page.describe());
        assertEquals("warn", page.overall());
    }
}
