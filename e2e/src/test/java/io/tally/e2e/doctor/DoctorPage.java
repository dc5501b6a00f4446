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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;

/** The doctor page under WebDriver: open it, wait until every check has a verdict, read them. */
final class DoctorPage {
    static final List<String> CHECKS = List.of(
            "websocket", "polling", "instances", "rtt", "capacity", "idle", "platform", "config", "redis", "tls");

    private final WebDriver driver;

    private DoctorPage(WebDriver driver) {
        this.driver = driver;
    }

    /** Loads {@code baseUrl + "/doctor"} (following the redirect) and waits for the summary's verdict. */
    static DoctorPage open(WebDriver driver, String baseUrl, String query, Duration timeout) {
        driver.get(baseUrl + "/doctor" + (query.isEmpty() ? "" : "?" + query));
        DoctorPage page = new DoctorPage(driver);
        new FluentWait<>(driver)
                .withTimeout(timeout)
                .pollingEvery(Duration.ofMillis(200))
                .withMessage(() -> "the doctor did not finish within " + timeout + "; checks: " + page.describe())
                .until(d -> "true".equals(d.findElement(By.id("summary")).getDomAttribute("data-done")));
        return page;
    }

    String status(String check) {
        return element(check).getDomAttribute("data-status");
    }

    String summary(String check) {
        return element(check).findElement(By.className("summary")).getText();
    }

    String fix(String check) {
        return element(check).findElement(By.className("fix")).getText();
    }

    String details(String check) {
        return element(check).findElement(By.className("details")).getText();
    }

    Map<String, String> statuses() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : CHECKS) m.put(c, status(c));
        return m;
    }

    String overall() {
        return driver.findElement(By.id("summary")).getDomAttribute("data-status");
    }

    /** Every check with its status and texts, for assertion messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (String c : CHECKS) {
            try {
                b.append('\n')
                        .append(c)
                        .append(": ")
                        .append(status(c))
                        .append(" — ")
                        .append(summary(c));
                String fix = fix(c);
                if (!fix.isEmpty()) b.append(" [").append(fix).append(']');
                String details = details(c);
                if (!details.isEmpty())
                    b.append(" {").append(details.replace('\n', ';')).append('}');
            } catch (RuntimeException e) {
                b.append('\n').append(c).append(": ?");
            }
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

    private WebElement element(String check) {
        return driver.findElement(By.id("check-" + check));
    }
}
