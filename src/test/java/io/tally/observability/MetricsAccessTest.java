package io.tally.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsAccessTest {
    private final MetricsAccess open = new MetricsAccess(null);
    private final MetricsAccess guarded = new MetricsAccess("s3cret-metrics-token");

    @Test
    void withoutATokenOnlyALocalRequestThatNoProxyForwardedMayRead() {
        assertEquals(200, open.decide(null, "127.0.0.1", false).status());
        assertEquals(200, open.decide(null, "0:0:0:0:0:0:0:1", false).status());
        assertEquals(
                403,
                open.decide(null, "127.0.0.1", true).status(),
                "nginx on the same host proxies the internet from loopback");
        assertEquals(403, open.decide(null, "10.0.3.7", false).status());
        assertEquals(403, open.decide("Bearer anything", "203.0.113.9", false).status());
    }

    @Test
    void withATokenOnlyTheExactBearerTokenMayReadFromAnywhere() {
        assertEquals(
                200,
                guarded.decide("Bearer s3cret-metrics-token", "203.0.113.9", true)
                        .status());
        assertEquals(401, guarded.decide(null, "127.0.0.1", false).status(), "loopback is no longer enough");
        assertEquals(
                401,
                guarded.decide("Bearer s3cret-metrics-toke", "127.0.0.1", false).status());
        assertEquals(
                401,
                guarded.decide("Bearer s3cret-metrics-token2", "127.0.0.1", false)
                        .status());
        assertEquals(
                401,
                guarded.decide("Basic s3cret-metrics-token", "127.0.0.1", false).status());
    }
}
