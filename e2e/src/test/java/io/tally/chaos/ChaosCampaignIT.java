package io.tally.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The short seeded campaign of {@code bin/chaos} in the normal build: two Tomcats (11 and 10.1)
 * running the WAR, Redis with its append-only file, 16 raw-protocol viewers hopping between
 * instances and transports, two REST writers, and each fault class of {@link #CI_FAULTS} once in a
 * seeded order. The
 * checker must find nothing: no message lost, repeated or out of order, no acknowledged write lost
 * or applied twice, the final scores equal to the writers' intent.
 */
class ChaosCampaignIT {
    /** Every fault class, Redis and instance deaths included. */
    static final Set<Fault> CI_FAULTS = EnumSet.of(
            Fault.KILL_INSTANCE,
            Fault.FREEZE_INSTANCE,
            Fault.REDIS_RESTART_AOF,
            Fault.REDIS_RESTART_EMPTY,
            Fault.REDIS_BLACKHOLE,
            Fault.VIEWER_BLACKHOLE,
            Fault.SLOW_VIEWERS,
            Fault.THROTTLED_VIEWERS);

    @Test
    void aSeededCampaignLosesNothingRepeatsNothingAndKeepsEveryAcknowledgedWrite() throws Exception {
        assertPasses(CI_FAULTS, 16, 100, 15);
    }

    /** Runs each fault of {@code faults} once (seed 20261202) and fails on any finding or too little traffic. */
    static void assertPasses(Set<Fault> faults, int viewers, long minMessages, long minWrites) throws Exception {
        Campaign.Result r = new Campaign(
                        new Campaign.Options(20261202L, Duration.ZERO, faults, viewers, 2, 4, true, System.out))
                .run();
        Checker c = r.checker();
        String findings = c.findings.stream()
                .limit(20)
                .map(f -> f.kind() + ": " + f.detail())
                .collect(Collectors.joining("\n"));
        assertTrue(
                c.passed(), () -> "the checker found (seed " + r.seed() + ", logs " + r.runDir() + "):\n" + findings);
        assertEquals(faults, r.injected().keySet(), "every fault class injected once");
        assertTrue(c.total.messages > minMessages, () -> "too few messages to judge anything: " + c.total.messages);
        assertTrue(c.writesAcked > minWrites, () -> "too few acknowledged writes: " + c.writesAcked);
        assertEquals(0, c.writesUnknown, "every write got a final answer");
    }
}
