package io.tally.e2e;

import static io.tally.e2e.CannedGames.clock;
import static io.tally.e2e.CannedGames.game;
import static io.tally.e2e.CannedGames.team;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.e2e.browser.Browser;
import io.tally.e2e.browser.Browsers;
import io.tally.e2e.browser.E2eArtifacts;
import io.tally.e2e.pages.ConsolePage;
import io.tally.e2e.pages.GamePage;
import io.tally.e2e.pages.Page;
import io.tally.e2e.pages.ScoreboardPage;
import io.tally.testing.TallyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;

/**
 * The README's pictures, taken in headless Chromium: the board, the big screen in TV mode and the
 * scorer console at phone width. Always written to {@code target/screenshots/}; with
 * {@code -Dtally.screenshots=true} also to {@code docs/img/}, which is how the README's copies are
 * refreshed. The games come from {@link CannedGames} (the fields a real game has per CONTRACT.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeScreenshotsIT {
    private static final String TOKEN = "readme-screenshots-token-0123456789";

    @RegisterExtension
    final E2eArtifacts artifacts = new E2eArtifacts();

    private TallyServer server;
    private Browser chromium;
    private URI base;

    @BeforeAll
    void start() {
        server = TallyServer.start(
                "127.0.0.1",
                0,
                Map.of("TALLY_ADMIN_TOKEN", TOKEN, "TALLY_SAMPLE_GAME", "false"),
                Map.of(),
                context -> CannedGames.install(context, true)
                        .add(
                                "k7m2qz9pxa",
                                now -> game(
                                        "k7m2qz9pxa",
                                        "basketball",
                                        team("Harbour Hawks", "HAW", "#552583", 54),
                                        team("Valley Foxes", "FOX", "#e8a33d", 50),
                                        "Q2",
                                        "live",
                                        Map.of("clock", clock(true, "down", 431_000, now))))
                        .add(
                                "p3rt8wq2mz",
                                now -> game(
                                        "p3rt8wq2mz",
                                        "volleyball",
                                        team("North Spikers", "NSP", "#1d4ed8", 1),
                                        team("Bay Blockers", "BAY", "#dc2626", 1),
                                        "Set 3",
                                        "live",
                                        Map.of(
                                                "sets",
                                                List.of(
                                                        Map.of("home", 25, "away", 22),
                                                        Map.of("home", 21, "away", 25),
                                                        Map.of("home", 9, "away", 7)))))
                        .add(
                                "h8sd2kq4vn",
                                now -> game(
                                        "h8sd2kq4vn",
                                        "soccer",
                                        team("Rovers", "ROV", "#0f766e", 1),
                                        team("United", "UTD", "#b91c1c", 0),
                                        "1st half",
                                        "break",
                                        Map.of("clock", clock(false, "up", 45 * 60_000, now))))
                        .add(
                                "t5gw9bx3re",
                                now -> game(
                                        "t5gw9bx3re",
                                        "tennis",
                                        team("A. Novak", "NOV", "#166534", 1),
                                        team("B. Ruiz", "RUI", "#7c3aed", 0),
                                        "",
                                        "live",
                                        Map.of(
                                                "sets",
                                                List.of(Map.of("home", 6, "away", 4), Map.of("home", 3, "away", 2)),
                                                "point",
                                                Map.of("home", "30", "away", "15"))))
                        .add(
                                "m2xq7hd9ks",
                                now -> game(
                                        "m2xq7hd9ks",
                                        "hockey",
                                        team("Ice Kings", "ICE", "#0369a1", 3),
                                        team("Fire Wolves", "FIR", "#c2410c", 2),
                                        "P3",
                                        "final",
                                        Map.of()))
                        .add(
                                "r9kz3bw6tn",
                                now -> game(
                                        "r9kz3bw6tn",
                                        "american-football",
                                        team("Miners", "MIN", "#92400e", 0),
                                        team("Pilots", "PIL", "#1e3a8a", 0),
                                        "",
                                        "scheduled",
                                        Map.of(
                                                "startsAt",
                                                java.time.Instant.ofEpochMilli(now)
                                                        .plusSeconds(3 * 3600)
                                                        .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                                                        .toString()))));
        base = URI.create(server.baseUrl());
        chromium = Browsers.chromium();
    }

    @AfterAll
    void stop() {
        try {
            if (chromium != null) chromium.close();
        } finally {
            if (server != null) server.stop();
        }
    }

    @Test
    void boardBigScreenAndPhoneConsole() throws IOException {
        artifacts.watch(chromium);
        WebDriver d = chromium.driver();
        HasCdp cdp = (HasCdp) d;
        scheme(cdp, "dark");
        d.manage().window().setSize(new Dimension(1280, 800));
        ScoreboardPage board = ScoreboardPage.open(d, base);
        board.awaitGame("r9kz3bw6tn", Page.LOAD);
        board.connection().awaitConnected(Page.LOAD);
        assertEquals("LIVE", board.badge("k7m2qz9pxa"));
        save(d, "board.png");

        // ?tv=1: TV mode without asking for fullscreen, which would resize the headless window.
        GamePage big = GamePage.openLink(d, base, "/games/k7m2qz9pxa?tv=1").awaitLoaded();
        big.connection().awaitConnected(Page.LOAD);
        assertTrue(big.tvMode());
        big.waitFor("the clock running", Page.LOAD, x -> big.clock());
        save(d, "big-screen.png");

        scheme(cdp, "light");
        d.manage().window().setSize(new Dimension(390, 844));
        ConsolePage console = ConsolePage.open(d, base, null);
        assertEquals("ok", console.useToken(TOKEN));
        ConsolePage.open(d, base, "k7m2qz9pxa");
        console.js("document.getElementById('scorer').scrollIntoView();");
        save(d, "console-phone.png");
        scheme(cdp, null);
        d.manage().window().setSize(new Dimension(1280, 1024));
    }

    private static void scheme(HasCdp cdp, String scheme) {
        cdp.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of(
                        "features",
                        scheme == null ? List.of() : List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    private static void save(WebDriver d, String name) throws IOException {
        // Let the arrival highlights fade before the picture.
        ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript(
                        "document.querySelectorAll('.flash, .arrived').forEach(e => e.classList.remove('flash', 'arrived'));");
        byte[] png = ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
        assertTrue(png.length > 10_000, name + " looks empty (" + png.length + " bytes)");
        Path project = TallyServer.webappDir().getParent();
        Path target = Files.createDirectories(project.resolve("target/screenshots"));
        Files.write(target.resolve(name), png);
        if (Boolean.getBoolean("tally.screenshots")) {
            Files.write(Files.createDirectories(project.resolve("docs/img")).resolve(name), png);
        }
    }
}
