package io.tally.e2e.browser;

import io.tally.testing.Ports;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.MutableCapabilities;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Starts the two browser engines Tally supports, with every binary given explicitly so Selenium
 * Manager never runs and nothing is downloaded at test time:
 * <ul>
 *   <li>{@link #chromium()}: Debian's Chromium, headless, through {@code /usr/bin/chromedriver};</li>
 *   <li>{@link #webkit()}: WebKitGTK's MiniBrowser through {@code WebKitWebDriver}, on an Xvfb display
 *       started here (MiniBrowser has no headless mode).</li>
 * </ul>
 * Paths can be overridden with the system properties {@code tally.chromium}, {@code tally.chromedriver},
 * {@code tally.webkitdriver} and {@code tally.minibrowser}.
 */
public final class Browsers {
    private static final String CHROMIUM = System.getProperty("tally.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("tally.chromedriver", "/usr/bin/chromedriver");
    private static final String WEBKIT_DRIVER = System.getProperty("tally.webkitdriver", "/usr/bin/WebKitWebDriver");
    private static final String MINIBROWSER =
            System.getProperty("tally.minibrowser", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser");
    private static final Duration STARTUP = Duration.ofSeconds(30);

    // Selenium 4.49 knows CDP up to 153 and warns on every Chromium 156 session; WebDriver itself is
    // unaffected, so keep the test log readable. (A static reference: JUL holds loggers weakly.)
    private static final java.util.logging.Logger CDP_VERSION_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_LOG.setLevel(Level.SEVERE);
    }

    private Browsers() {}

    /** Opens the browser named "chromium" or "webkit" (for tests parameterised by engine). */
    public static Browser open(String name) {
        return switch (name) {
            case "chromium" -> chromium();
            case "webkit" -> webkit();
            default -> throw new IllegalArgumentException("unknown browser " + name);
        };
    }

    /** Headless Chromium with a fresh profile, keeping the page's console log. */
    public static Browser chromium() {
        return chromium(LogType.BROWSER);
    }

    /**
     * Headless Chromium with a fresh profile, keeping the driver logs named (see {@link LogType}, e.g.
     * the performance log with the DevTools network events) at every level.
     */
    public static Browser chromium(String... logTypes) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Path profile = Files.createTempDirectory("tally-chromium-");
            started.push(() -> deleteTree(profile));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // Root in a container needs --no-sandbox; the networking flags stop Chromium from calling
            // hosts this machine cannot reach (updates, sync, safe browsing), which slows it down.
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--window-size=1280,1024",
                    "--user-data-dir=" + profile);
            LoggingPreferences logs = new LoggingPreferences();
            for (String type : logTypes) logs.enable(type, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            WebDriver driver = new ChromeDriver(service, options);
            // ChromeDriver.quit() stops the service it started; the profile goes after it.
            return new Browser("chromium", driver, List.of(logTypes).contains(LogType.BROWSER), started);
        } catch (IOException | RuntimeException e) {
            closeAll(started, e);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** WebKitGTK (Safari's engine): MiniBrowser under WebKitWebDriver on a private Xvfb display. */
    public static Browser webkit() {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Path logDir = Files.createDirectories(Path.of("target", "e2e-logs"));
            // -displayfd makes Xvfb pick a free display itself and print its number when ready: no race.
            Process xvfb = new ProcessBuilder(
                            "Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            logDir.resolve("xvfb.log").toFile()))
                    .start();
            started.push(() -> stop(xvfb));
            String display = ":" + readLine(xvfb, STARTUP);

            int port = Ports.free();
            ProcessBuilder pb = new ProcessBuilder(WEBKIT_DRIVER, "--port=" + port, "--host=local")
                    .redirectErrorStream(true)
                    .redirectOutput(
                            logDir.resolve("webkitwebdriver-" + port + ".log").toFile());
            pb.environment().put("DISPLAY", display);
            Process webdriver = pb.start();
            started.push(() -> stop(webdriver));
            URL url = new URL("http://127.0.0.1:" + port);
            waitUntilReady(webdriver, new URL(url, "/status"));

            MutableCapabilities caps = new MutableCapabilities(Map.of(
                    "browserName",
                    "MiniBrowser",
                    "webkitgtk:browserOptions",
                    Map.of("binary", MINIBROWSER, "args", List.of("--automation"))));
            WebDriver driver = new RemoteWebDriver(url, caps);
            return new Browser("webkit", driver, false, started);
        } catch (IOException | RuntimeException e) {
            closeAll(started, e);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static String readLine(Process p, Duration timeout) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String s = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (s == null || !s.trim().matches("\\d+"))
                throw new IOException("Xvfb did not report a display (exit " + exitOf(p) + ")");
            return s.trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting Xvfb", e);
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
            throw new IOException("Xvfb did not start within " + timeout, e);
        }
    }

    private static String exitOf(Process p) {
        return p.isAlive() ? "still running" : String.valueOf(p.exitValue());
    }

    private static void waitUntilReady(Process driver, URL status) {
        new FluentWait<>(status)
                .withTimeout(STARTUP)
                .pollingEvery(Duration.ofMillis(100))
                .ignoring(UncheckedIOException.class)
                .withMessage(() -> "WebKitWebDriver did not answer " + status + " (" + exitOf(driver) + ")")
                .until(u -> {
                    if (!driver.isAlive())
                        throw new IllegalStateException("WebKitWebDriver exited with " + driver.exitValue());
                    try {
                        HttpURLConnection c = (HttpURLConnection) u.openConnection();
                        c.setConnectTimeout(1000);
                        c.setReadTimeout(2000);
                        try {
                            return c.getResponseCode() == 200;
                        } finally {
                            c.disconnect();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Stops a process and whatever it started (WebKitWebDriver starts MiniBrowser and its helpers). */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroy();
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void closeAll(Deque<AutoCloseable> started, Exception cause) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
