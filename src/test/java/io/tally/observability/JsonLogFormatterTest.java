package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
import io.tally.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    private static String format(Redactor redactor, String msg, Throwable thrown) {
        LogRecord r = new LogRecord(Level.WARNING, msg);
        r.setLoggerName("io.tally.realtime.Realtime");
        r.setMillis(1_764_076_800_123L);
        r.setThrown(thrown);
        return new JsonLogFormatter("web-7f3a", redactor).format(r);
    }

    @Test
    void aRecordIsOneJsonObjectPerLineWithNamedFields() {
        String line = format(new Redactor(List.of()), "two\nlines & <b>", null);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        Map<String, Object> fields = Json.parseObject(line.strip(), 2);
        assertEquals(
                Map.of(
                        "time",
                        "2025-11-25T13:20:00.123Z",
                        "level",
                        "warn",
                        "instance",
                        "web-7f3a",
                        "logger",
                        "io.tally.realtime.Realtime",
                        "thread",
                        Thread.currentThread().getName(),
                        "message",
                        "two\nlines & <b>"),
                fields);
    }

    @Test
    void anExceptionAddsItsTextAndStack() {
        Map<String, Object> fields = Json.parseObject(
                format(new Redactor(List.of()), "failed", new IOException("boom"))
                        .strip(),
                2);
        assertEquals("java.io.IOException: boom", fields.get("exception"));
        assertTrue(
                ((String) fields.get("stack")).startsWith("java.io.IOException: boom\n\tat io.tally.observability."),
                (String) fields.get("stack"));
    }

    @Test
    void secretsAreMaskedInMessageExceptionAndStack() {
        Settings settings = new Settings(Map.of(
                "TALLY_ADMIN_TOKEN",
                "admin-token-1234567890",
                "REDIS_URL",
                "rediss://tally:redis-pa55word@cache.example:6379")::get);
        Redactor r = Redactor.from(settings, Map.of());
        String line = format(
                r,
                "token admin-token-1234567890 at rediss://tally:redis-pa55word@cache.example:6379",
                new IllegalStateException("Authorization: Bearer abc.DEF-123 / redis-pa55word"));
        for (String secret : List.of("admin-token-1234567890", "redis-pa55word", "abc.DEF-123")) {
            assertFalse(line.contains(secret), secret + " leaked: " + line);
        }
        assertTrue(line.contains("rediss://tally:***@cache.example:6379"), line);
    }

    @Test
    void theFormatIsChosenByTallyLogFormat() {
        assertInstanceOf(
                LogLineFormatter.class, Observability.lineFormat("i", new Settings(Map.<String, String>of()::get)));
        assertInstanceOf(
                JsonLogFormatter.class,
                Observability.lineFormat("i", new Settings(Map.of("TALLY_LOG_FORMAT", "JSON")::get)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Observability.lineFormat("i", new Settings(Map.of("TALLY_LOG_FORMAT", "xml")::get)));
    }
}
