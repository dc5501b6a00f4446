package io.tally.e2e.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The doctor page under WebDriver: open it, wait until every check has a verdict, read them. The
 * verdicts are read once, in one script, when the page is done: they no longer change, and reading
 * each text through its own WebDriver call made every assertion message cost seconds.
 */
final class DoctorPage {
    static final List<String> CHECKS = List.of(
            "websocket", "polling", "instances", "rtt", "capacity", "idle", "platform", "config", "redis", "tls");

    /** Each check's status and its texts as shown (a hidden element shows nothing), plus the overall status. */
    private static final String READ = """
            const shown = el => el && el.getClientRects().length ? el.innerText.trim() : '';
            const checks = {};
            for (const id of arguments[0]) {
              const el = document.getElementById('check-' + id);
              if (!el) continue;
              checks[id] = {
                status: el.getAttribute('data-status'),
                summary: shown(el.querySelector('.summary')),
                fix: shown(el.querySelector('.fix')),
                details: shown(el.querySelector('.details')),
              };
            }
            return { overall: document.getElementById('summary').getAttribute('data-status'), checks };
            """;

    private record Check(String status, String summary, String fix, String details) {}

    private final WebDriver driver;
    private final String overall;
    private final Map<String, Check> checks = new LinkedHashMap<>();

    private DoctorPage(WebDriver driver) {
        this.driver = driver;
        Map<?, ?> read = (Map<?, ?>) ((JavascriptExecutor) driver).executeScript(READ, CHECKS);
        this.overall = (String) read.get("overall");
        Map<?, ?> found = (Map<?, ?>) read.get("checks");
        for (String c : CHECKS) {
            if (found.get(c) instanceof Map<?, ?> m) {
                checks.put(
                        c,
                        new Check((String) m.get("status"), (String) m.get("summary"), (String) m.get("fix"), (String)
                                m.get("details")));
            }
        }
    }

    /** Loads {@code baseUrl + "/doctor"} (following the redirect) and waits for the summary's verdict. */
    static DoctorPage open(WebDriver driver, String baseUrl, String query, Duration timeout) {
        driver.get(baseUrl + "/doctor" + (query.isEmpty() ? "" : "?" + query));
        new FluentWait<>(driver)
                .withTimeout(timeout)
                .pollingEvery(Duration.ofMillis(200))
                .withMessage(() -> "the doctor did not finish within " + timeout + "; checks: "
                        + new DoctorPage(driver).describe())
                .until(d -> "true".equals(d.findElement(By.id("summary")).getDomAttribute("data-done")));
        return new DoctorPage(driver);
    }

    String status(String check) {
        return check(check).status();
    }

    String summary(String check) {
        return check(check).summary();
    }

    String fix(String check) {
        return check(check).fix();
    }

    String details(String check) {
        return check(check).details();
    }

    Map<String, String> statuses() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : CHECKS) m.put(c, status(c));
        return m;
    }

    String overall() {
        return overall;
    }

    /** Every check with its status and texts, for assertion messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (String c : CHECKS) {
            Check k = checks.get(c);
            if (k == null) {
                b.append('\n').append(c).append(": ?");
                continue;
            }
            b.append('\n')
                    .append(c)
                    .append(": ")
                    .append(k.status())
                    .append(" — ")
                    .append(k.summary());
            if (!k.fix().isEmpty()) b.append(" [").append(k.fix()).append(']');
            if (!k.details().isEmpty())
                b.append(" {").append(k.details().replace('\n', ';')).append('}');
        }
        return b.toString();
    }

    /** A screenshot of the whole page (the window is resized to the document's height first). */
    void screenshot(Path file) {
        Object h = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;");
        int height = h instanceof Number n ? Math.min(4000, n.intValue() + 40) : 1400;
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(1100, height));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    private Check check(String id) {
        Check k = checks.get(id);
        if (k == null) throw new NoSuchElementException("no check-" + id + " on the doctor page");
        return k;
    }
}
