package io.tally.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Saves what a failed browser test leaves behind: for every browser it {@link #watch watches}, a
 * screenshot, the page HTML, the console log and the current URL, under
 * {@code target/e2e-artifacts/<TestClass>.<method>/<browser>-*}. It runs right after the test
 * method, before {@code @AfterEach} closes the browsers.
 * <pre>
 * &#64;RegisterExtension final E2eArtifacts artifacts = new E2eArtifacts();
 * ...
 * browser = artifacts.watch(Browsers.chromium());
 * </pre>
 */
public final class E2eArtifacts implements AfterTestExecutionCallback {
    private final Path root;
    private final java.util.Map<Browser, String> watched = new java.util.LinkedHashMap<>();

    public E2eArtifacts() {
        this(Path.of("target", "e2e-artifacts"));
    }

    public E2eArtifacts(Path root) {
        this.root = root;
    }

    /** Keeps {@code browser}'s state if the current test fails; returns it for chaining. */
    public Browser watch(Browser browser) {
        return watch(browser, browser.name());
    }

    /**
     * Like {@link #watch(Browser)}, with the file prefix {@code label} instead of the engine name:
     * for a test with two browsers of one engine (e.g. a viewer and the scorer's session).
     */
    public Browser watch(Browser browser, String label) {
        watched.put(browser, label);
        return browser;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        try {
            Throwable failure = context.getExecutionException().orElse(null);
            if (failure == null) return;
            Path dir = root.resolve(folderName(context));
            Files.createDirectories(dir);
            write(dir.resolve("failure.txt"), stackTrace(failure));
            for (java.util.Map.Entry<Browser, String> w : watched.entrySet()) save(w.getKey(), w.getValue(), dir);
        } catch (IOException e) {
            throw new IllegalStateException("could not save e2e artefacts", e);
        } finally {
            watched.clear();
        }
    }

    private static String folderName(ExtensionContext context) {
        // Method name plus display name: parameterised runs ("[1] webkit") get a folder each.
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName()
                + (context.getDisplayName()
                                .startsWith(context.getRequiredTestMethod().getName())
                        ? ""
                        : "-" + context.getDisplayName());
        return name.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }

    // Each artefact is attempted on its own: a dead browser may still give its log but no screenshot.
    private static void save(Browser browser, String label, Path dir) throws IOException {
        String prefix = label + "-";
        WebDriver driver = browser.driver();
        List<String> notes = new ArrayList<>();
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve(prefix + "screenshot.png"), png);
        } catch (RuntimeException e) {
            notes.add("screenshot: " + e);
        }
        try {
            write(
                    dir.resolve(prefix + "page.html"),
                    "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource());
        } catch (RuntimeException e) {
            notes.add("page source: " + e);
        }
        try {
            write(dir.resolve(prefix + "console.log"), String.join("\n", browser.consoleLog()) + "\n");
        } catch (RuntimeException e) {
            notes.add("console log: " + e);
        }
        if (!notes.isEmpty()) write(dir.resolve(prefix + "missing.txt"), String.join("\n", notes) + "\n");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
