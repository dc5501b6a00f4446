package io.tally.doctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.doctor.Findings;
import io.tally.doctor.cli.IdleCut.Outcome;
import org.junit.jupiter.api.Test;

/** The platform check's verdict on how a silent request ended, against the timeouts Tally was told. */
class IdleCutTest {
    static Result verdict(int hold, Outcome o) {
        return IdleCut.verdict(hold, o, 300, 300);
    }

    @Test
    void answeredAfterTheHoldPassesAndPastSixtySecondsSaysTheDefaultsAreGone() {
        Result r = verdict(65, new Outcome(200, Answerer.TALLY, 65_020, "held on instance i-1"));
        assertEquals("pass", r.status());
        assertTrue(r.summary().contains("neither nginx nor the load balancer runs on its 60 s default"), r.summary());
        assertNull(r.fix());
        Result shortHold = verdict(5, new Outcome(200, Answerer.TALLY, 5_010, null));
        assertEquals("pass", shortHold.status());
        assertTrue(
                shortHold.details().stream().anyMatch(d -> d.contains("--hold 65")),
                shortHold.details().toString());
    }

    @Test
    void nginxCuttingAtItsDefaultMeansThePlatformFilesAreNotApplied() {
        Result r = verdict(65, new Outcome(504, Answerer.NGINX, 60_004, null));
        assertEquals("fail", r.status());
        assertTrue(r.summary().startsWith("nginx cut a request that was silent for 60 s (HTTP 504)"), r.summary());
        assertTrue(r.summary().contains("not the 300 s Tally was told"), r.summary());
        assertEquals(Findings.fix(Findings.PLATFORM_NGINX), r.fix());
    }

    @Test
    void aCutThatMatchesTheConfiguredTimeoutPasses() {
        Result nginx = IdleCut.verdict(65, new Outcome(504, Answerer.NGINX, 30_400, null), 30, 300);
        assertEquals("pass", nginx.status(), nginx.summary());
        Result lb = IdleCut.verdict(65, new Outcome(504, Answerer.BALANCER, 3_100, null), 300, 3);
        assertEquals("pass", lb.status(), lb.summary());
        Result closed = IdleCut.verdict(65, new Outcome(0, null, 3_050, "connection closed"), 300, 3);
        assertEquals("pass", closed.status(), closed.summary());
    }

    @Test
    void theBalancerCuttingEarlyPointsAtItsIdleTimeout() {
        Result r = verdict(65, new Outcome(504, Answerer.BALANCER, 60_100, null));
        assertEquals("fail", r.status());
        assertEquals(Findings.fix(Findings.PLATFORM_BALANCER), r.fix());
        Result other = verdict(65, new Outcome(0, null, 12_000, "connection closed"));
        assertEquals("fail", other.status());
        assertEquals(Findings.fix(Findings.PLATFORM_CUT), other.fix());
    }

    @Test
    void notMeasuredIsAWarning() {
        assertEquals("warn", verdict(0, null).status());
        Result old = verdict(65, new Outcome(404, Answerer.TALLY, 20, "no such doctor endpoint"));
        assertEquals("warn", old.status());
        assertTrue(old.fix().contains("older ones lack /doctor/api/hold"), old.fix());
        assertEquals(
                "warn",
                verdict(65, new Outcome(0, null, 15, "cannot connect (refused)"))
                        .status());
    }
}
