package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final String URL = "rediss://app:s3cret@master.tally-xyz.cache.amazonaws.com:6379";

    @Test
    void removesUrlsPasswordsAndTheRedisHost() {
        String detail = "Redis unavailable at rediss://app:***@master.tally-xyz.cache.amazonaws.com:6379 for 300 ms: "
                + "JedisConnectionException: Failed to connect to master.tally-xyz.cache.amazonaws.com:6379";
        String s = Redaction.redact(detail, URL);
        assertFalse(s.contains("tally-xyz"), s);
        assertFalse(s.contains("s3cret"), s);
        assertFalse(s.contains("app:"), s);
        assertTrue(s.contains("for 300 ms"), s);
        assertTrue(s.contains("Failed to connect to (redis host)"), s);
        assertFalse(s.contains("6379"), s);
    }

    @Test
    void aPasswordInTheConfiguredUrlNeverSurvives() {
        String s = Redaction.redact("odd message quoting " + URL + " verbatim", URL);
        assertFalse(s.contains("s3cret"), s);
    }

    @Test
    void hostsOfClusterUrls() {
        assertEquals(
                List.of("a.example", "b.example", "10.0.0.7"),
                Redaction.hosts("redis://:pw@a.example:6379,b.example:6380,10.0.0.7/0"));
        assertEquals(List.of("127.0.0.1"), Redaction.hosts("redis://127.0.0.1:6379"));
    }
}
