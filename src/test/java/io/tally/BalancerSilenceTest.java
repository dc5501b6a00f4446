package io.tally;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BalancerSilenceTest {
    private final AtomicLong now = new AtomicLong();
    private final BalancerSilence silence = new BalancerSilence(3_000, now::get);

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private void checksEvery(long millis, int count) {
        for (int i = 0; i < count; i++) {
            silence.checked();
            advance(millis);
        }
    }

    @Test
    void neverFiresBeforeChecksHaveBeenSeen() {
        advance(60_000);
        assertFalse(silence.silent(), "no balancer, no signal");
        checksEvery(1_000, BalancerSilence.ARM_AFTER - 1);
        advance(60_000);
        assertFalse(silence.silent(), "not armed by too few checks");
    }

    @Test
    void firesOnceWhenChecksStopAndRearmsWhenTheyResume() {
        checksEvery(1_000, 5);
        advance(1_500);
        assertFalse(silence.silent(), "2.5 s of quiet is under the 3 s silence");
        advance(1_000);
        assertTrue(silence.silent());
        advance(10_000);
        assertFalse(silence.silent(), "fires once per silence");
        checksEvery(1_000, 5);
        advance(3_000);
        assertTrue(silence.silent(), "armed again once checks came back");
    }

    @Test
    void aSlowerCheckIntervalRaisesTheThreshold() {
        checksEvery(10_000, 4); // 10 s between checks: a 3 s silence means nothing
        assertFalse(silence.silent());
        advance(9_000);
        assertFalse(silence.silent(), "19 s is under twice the 10 s gap");
        advance(2_000);
        assertTrue(silence.silent());
    }

    @Test
    void onlyTheBalancersChecksCount() {
        assertTrue(BalancerSilence.isHealthCheck("ELB-HealthChecker/2.0"));
        assertFalse(BalancerSilence.isHealthCheck("curl/8.5.0"));
        assertFalse(BalancerSilence.isHealthCheck(null));
    }
}
