package io.tally.chaos;

import java.util.EnumSet;
import java.util.Set;
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
        ChaosCampaignIT.assertPasses(CLUSTER_FAULTS, 12, 50, 10);
    }
}
