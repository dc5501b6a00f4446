package io.tally.standin;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser (headless Chromium) through the stand-in: it opens a WebSocket to /live/ws with
 * its own Origin and Host, as a page would, and gets Tally's welcome; behind the broken proxy the
 * same WebSocket fails while a long-poll still answers. (The scoreboard UI is tested by the e2e suite.)
 */
class StandInBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /** Opens a WebSocket from the page and reports "open:<first message>" or "failed:<close code>". */
    private static final String TRY_WEBSOCKET = """
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/live/ws');
            let finished = false;
            const finish = r => { if (!finished) { finished = true; try { ws.close(); } catch (e) {} done(r); } };
            ws.onmessage = e => finish('open:' + e.data);
            ws.onclose = e => finish('failed:' + e.code);
            setTimeout(() => finish('timeout'), 10000);
            """;

    private static final String POLL = """
            const done = arguments[arguments.length - 1];
            fetch('/live/poll').then(r => r.text().then(t => done(r.status + ':' + t))).catch(e => done('error:' + e));
            """;

    private static WebDriver chromium(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return d;
    }

    private static String run(WebDriver d, String script) {
        return String.valueOf(((JavascriptExecutor) d).executeAsyncScript(script));
    }

    @Test
    void webSocketInTheBrowserNormallyAndOnlyPollingBehindTheBrokenProxy() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "Chromium not installed");
        Path profile = Files.createTempDirectory("standin-chromium-");
        try (StandIn normal = StandIn.start(StandInOptions.defaults().instances(1));
             StandIn broken = StandIn.start(StandInOptions.defaults().instances(1).brokenProxy(true))) {
            WebDriver d = chromium(profile);
            try {
                d.get(normal.url() + "/");
                String ws = run(d, TRY_WEBSOCKET);
                assertTrue(ws.startsWith("open:") && ws.contains("\"type\":\"welcome\""), ws);
                assertTrue(ws.contains(normal.instanceId(0)), ws);

                d.get(broken.url() + "/");
                String failed = run(d, TRY_WEBSOCKET);
                assertTrue(failed.startsWith("failed:"), "the upgrade must fail behind the broken proxy: " + failed);
                String poll = run(d, POLL);
                assertEquals("200", poll.substring(0, 3), poll);
                assertTrue(poll.contains(broken.instanceId(0)), poll);
            } finally {
                d.quit();
            }
        } finally {
            TomcatDistribution.deleteTree(profile);
        }
    }
}
