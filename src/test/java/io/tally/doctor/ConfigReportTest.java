package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigReportTest {
    @Test
    void defaultsPassUnderOurShippedTimeouts() {
        Verdict v = ConfigReport.verdict(25_000, 25_000, new DoctorSettings(300, 300));
        assertEquals("pass", v.status());
        assertNull(v.fix());
        assertTrue(v.summary().contains("heartbeat 25 s"), v.summary());
    }

    @Test
    void heartbeatAtOrAboveTheShortestIdleTimeoutWarnsAndNamesIt() {
        Verdict v = ConfigReport.verdict(60_000, 25_000, new DoctorSettings(300, 60));
        assertEquals("warn", v.status());
        assertTrue(
                v.summary().contains("heartbeat 60 s is not shorter than the load balancer's 60 s idle timeout"),
                v.summary());
        assertNotNull(v.fix());
        assertTrue(v.fix().contains("TALLY_HEARTBEAT_MS"), v.fix());
    }

    @Test
    void pollHoldAboveNginxTimeoutWarnsAbout504() {
        Verdict v = ConfigReport.verdict(25_000, 90_000, new DoctorSettings(60, 300));
        assertEquals("warn", v.status());
        assertTrue(
                v.summary().contains("poll hold 90 s is not shorter than nginx's 60 s proxy_read_timeout"),
                v.summary());
        assertTrue(v.summary().contains("504"), v.summary());
    }

    @Test
    void justBelowPasses() {
        assertEquals(
                "pass",
                ConfigReport.verdict(59_999, 59_999, new DoctorSettings(60, 60)).status());
    }
}
