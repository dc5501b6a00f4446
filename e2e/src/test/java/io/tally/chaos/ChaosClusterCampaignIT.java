package io.tally.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The short seeded campaign on a Redis Cluster (three masters with a replica each): a failover and
 * a live slot move of a room's or the games' slot while viewers watch and writers score. The same
 * checker as {@link ChaosCampaignIT}: every message once and in order or an explicit reset, every
 * acknowledged write applied once, the final scores equal to the writers' intent.
 */
class ChaosClusterCampaignIT {
    static final Set<Fault> CLUSTER_FAULTS = EnumSet.of(Fault.CLUSTER_FAILOVER, Fault.CLUSTER_RESHARD);

    @Test
    void aSeededClusterCampaignLosesNothingThroughAFailoverAndASlotMove() throws Exception {
        Campaign.Result r = new Campaign(
                        new Campaign.Options(20261202L, Duration.ZERO, CLUSTER_FAULTS, 12, 2, 4, true, System.out))
                .run();
        Checker c = r.checker();
        String findings = c.findings.stream()
                .limit(20)
                .map(f -> f.kind() + ": " + f.detail())
                .collect(Collectors.joining("\n"));
        assertTrue(
                c.passed(), () -> "the checker found (seed " + r.seed() + ", logs " + r.runDir() + "):\n" + findings);
        assertEquals(CLUSTER_FAULTS, r.injected().keySet(), "every cluster fault class injected once");
        assertTrue(c.total.messages > 50, () -> "too few messages to judge anything: " + c.total.messages);
        assertTrue(c.writesAcked > 10, () -> "too few acknowledged writes: " + c.writesAcked);
        assertEquals(0, c.writesUnknown, "every write got a final answer");
    }
}
