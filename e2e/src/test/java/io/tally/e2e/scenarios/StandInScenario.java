package io.tally.e2e.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.BrowserPool;
import io.tally.e2e.browser.Browsers;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.e2e.pages.GamePage;
import io.tally.e2e.pages.Page;
import io.tally.standin.StandIn;
import io.tally.standin.StandInOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriverException;

/**
 * One stand-in and one set of browsers per test class (starting them is the slow part): a
 * Chromium viewer, a WebKit viewer and a third session (Chromium) for the scorer console. After
 * each test the browsers leave their pages with their cookies cleared, and whatever a scenario
 * broke (a paused path, a killed Tomcat) is repaired before the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StandInScenario {
    /** Generous deadline for "eventually" on a loaded shared machine; stated bounds are asserted on their own. */
    static final Duration EVENTUALLY = Duration.ofSeconds(60);

    static final List<String> ENGINES = List.of("chromium", "webkit");

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    StandIn standIn;
    TallyApi api;
    private final BrowserPool viewers = new BrowserPool();
    private Browser scorer;

    /** The stand-in this class needs. */
    abstract StandInOptions options();

    @BeforeAll
    void startStandInAndBrowsers() {
        long t0 = System.nanoTime();
        // The browsers start while the Tomcats do: both take seconds, much of it waiting.
        CompletableFuture<Void> browsers = CompletableFuture.runAsync(() -> {
            for (String e : ENGINES) viewers.get(e);
            scorer();
        });
        try {
            standIn = StandIn.start(options());
            System.out.println(getClass().getSimpleName() + ": stand-in up in "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        } finally {
            browsers.join();
        }
        api = new TallyApi(standIn.url(), standIn.adminToken());
    }

    @AfterAll
    void stopAll() {
        try {
            try {
                viewers.close();
            } finally {
                if (scorer != null) scorer.close();
            }
        } finally {
            if (standIn != null) standIn.close();
        }
    }

    @BeforeEach
    void watchBrowsers() {
        for (String e : ENGINES) artifacts.watch(viewers.get(e));
        artifacts.watch(scorer(), "scorer-chromium");
    }

    @AfterEach
    void leavePagesAndRepair() {
        List<Browser> all = new ArrayList<>();
        for (String e : ENGINES) all.add(viewers.get(e));
        all.add(scorer());
        for (Browser b : all) leave(b);
        standIn.resumePath();
        for (int i = 0; i < standIn.instances(); i++) if (!standIn.isTomcatRunning(i)) standIn.startTomcat(i);
        standIn.awaitHealthy(Duration.ofSeconds(120));
    }

    /** Unloads the page (ending its connections) and forgets the balancer's cookie, so the next test lands afresh. */
    static void leave(Browser b) {
        try {
            b.driver().manage().deleteAllCookies();
        } catch (WebDriverException e) {
            // on about:blank there is nothing to delete
        }
        try {
            b.driver().get("about:blank");
        } catch (WebDriverException e) {
            System.err.println("could not leave the page in " + b + ": " + e.getMessage());
        }
    }

    Browser viewer(String engine) {
        return viewers.get(engine);
    }

    /** The third session, for the scorer console (Chromium). */
    synchronized Browser scorer() {
        if (scorer == null) {
            scorer = Browsers.chromium();
        }
        return scorer;
    }

    /** Opens the game view through {@code base}; reloads with fresh cookies until it is on instance {@code wanted} (if >= 0). */
    GamePage viewOn(Browser b, URI base, String gameId, int wanted, String transport) {
        GamePage page = GamePage.open(b.driver(), base, gameId);
        for (int attempt = 0; ; attempt++) {
            String id = page.connection().awaitConnected(transport, EVENTUALLY);
            int at = standIn.instanceIndex(id);
            if (wanted < 0 || at == wanted) return page;
            if (attempt == 20)
                throw new AssertionError(b + " never landed on instance " + wanted + " (last: " + id + ")");
            b.driver().manage().deleteAllCookies();
            page.reload();
        }
    }

    /** The viewer's instance (0-based) as its connection indicator says. */
    int instanceOf(GamePage page) {
        String id = page.connection().instance();
        int i = standIn.instanceIndex(id);
        assertTrue(i >= 0, "unknown instance " + id);
        return i;
    }

    /**
     * The page agrees with the server exactly: same version, scores, and an event list holding the
     * server's last events, each once, newest first, with consecutive versions (a duplicate or a
     * missed event would show).
     */
    static void assertMatchesServer(String who, GamePage page, Map<String, Object> game) {
        int version = TallyApi.version(game);
        assertEquals(version, page.version(), who + ": version");
        assertEquals(TallyApi.homeScore(game), page.homeScore(), who + ": home score");
        assertEquals(TallyApi.awayScore(game), page.awayScore(), who + ": away score");
        List<Map<String, Object>> log = TallyApi.log(game);
        List<Integer> expected = new ArrayList<>();
        for (int k = log.size() - 1; k >= 0 && expected.size() < 12; k--)
            expected.add(((Number) log.get(k).get("version")).intValue());
        assertEquals(expected, page.logVersions(), who + ": event list (versions, newest first) " + page.logTexts());
    }

    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    static Duration eventually() {
        return EVENTUALLY;
    }

    static Duration load() {
        return Page.LOAD;
    }
}
