package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.config.Settings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {
    private static final Redactor NONE = new Redactor(List.of());

    private static String format(Redactor redactor, Level level, String msg, Throwable thrown) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("io.tally.realtime.Realtime");
        r.setMillis(1_764_076_800_123L);
        r.setThrown(thrown);
        return new LogLineFormatter("web-7f3a", redactor).format(r);
    }

    @Test
    void aRecordIsOneLineOfNamedFieldsCarryingTheInstance() {
        String line = format(NONE, Level.INFO, "Tally started: broker memory", null);
        assertEquals(
                "ts=2025-11-25T13:20:00.123Z level=info instance=web-7f3a logger=io.tally.realtime.Realtime "
                        + "msg=\"Tally started: broker memory\"\n",
                line);
        assertTrue(format(NONE, Level.SEVERE, "x", null).contains(" level=error "));
        assertTrue(format(NONE, Level.WARNING, "x", null).contains(" level=warn "));
    }

    @Test
    void newlinesQuotesAndStackTracesStayOnTheOneLine() {
        String line = format(NONE, Level.WARNING, "a \"quoted\"\nsecond line", new IOException("boom\nagain"));
        assertEquals(1, line.split("\n", -1).length - 1, "exactly one line: " + line);
        assertTrue(line.contains("msg=\"a \\\"quoted\\\"\\nsecond line\""), line);
        assertTrue(line.contains("error=\"java.io.IOException: boom\\nagain\""), line);
        assertTrue(
                line.contains(
                        "stack=\"java.io.IOException: boom\\nagain\\n\\tat io.tally.observability.LogLineFormatterTest"),
                line);
    }

    @Test
    void configuredSecretsAndSecretShapedTextAreMasked() {
        Settings settings = new Settings(Map.of(
                "TALLY_ADMIN_TOKEN", "admin-token-1234567890",
                "REDIS_URL", "rediss://tally:redis-pa55word@cache.example:6379")::get);
        Redactor r = Redactor.from(settings, Map.of("SOME_API_TOKEN", "env-token-abcdef"));
        String line = format(
                r,
                Level.INFO,
                "admin-token-1234567890 / rediss://tally:redis-pa55word@cache.example:6379"
                        + " / env-token-abcdef / pa55: redis-pa55word / redis://:other-pass@h:1 / Authorization: Bearer abc.DEF-123",
                null);
        for (String secret :
                List.of("admin-token-1234567890", "redis-pa55word", "env-token-abcdef", "other-pass", "abc.DEF-123")) {
            assertFalse(line.contains(secret), secret + " leaked: " + line);
        }
        assertTrue(line.contains("rediss://tally:***@cache.example:6379"), line);
        assertTrue(line.contains("Bearer ***"), line);
    }

    @Test
    void thePasswordOfARedisUrlIsFoundWithOrWithoutAUserName() {
        assertEquals("pw", Redactor.urlPassword("redis://user:pw@h:6379"));
        assertEquals("pw", Redactor.urlPassword("redis://:pw@h:6379"));
        assertEquals("pw", Redactor.urlPassword("redis://pw@h:6379"));
        assertEquals(null, Redactor.urlPassword("redis://h:6379"));
        assertEquals(null, Redactor.urlPassword(null));
    }
}
