package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress beanstalk = ClientAddress.beanstalkDefault();

    @Test
    void behindTheLoadBalancerAndNginxTheBalancersViewIsTheClient() {
        // The client forged "6.6.6.6"; nginx (peer 127.0.0.1) appended the ALB's address 10.0.0.5,
        // the ALB the client's real one.
        assertEquals("203.0.113.7", beanstalk.resolve("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.5"));
        assertEquals("203.0.113.7", beanstalk.resolve("127.0.0.1", "203.0.113.7, 10.0.0.5"));
    }

    @Test
    void behindNginxAloneAForgedEntryIsIgnored() {
        // Single instance: nginx appended the internet peer; everything left of it is the client's claim.
        assertEquals("198.51.100.9", beanstalk.resolve("127.0.0.1", "6.6.6.6, 198.51.100.9"));
        assertEquals("198.51.100.9", beanstalk.resolve("127.0.0.1", "10.0.0.1, 6.6.6.6, 198.51.100.9"));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("198.51.100.1", beanstalk.resolve("198.51.100.1", "1.2.3.4, 10.0.0.5"));
        assertEquals("127.0.0.1", beanstalk.resolve("127.0.0.1", null));
        assertEquals("127.0.0.1", new ClientAddress(List.of()).resolve("127.0.0.1", "1.2.3.4"));
    }

    @Test
    void junkStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("10.0.0.5", beanstalk.resolve("127.0.0.1", "203.0.113.7, evil.example, 10.0.0.5"));
        assertEquals("127.0.0.1", beanstalk.resolve("127.0.0.1", "unknown"));
        assertEquals("127.0.0.1", beanstalk.resolve("127.0.0.1", " , "));
    }

    @Test
    void rangesAreMatchedByPrefix() {
        assertEquals("172.32.0.1", beanstalk.resolve("172.31.255.255", "172.32.0.1"), "172.32/16 is public");
        assertEquals("203.0.113.7", beanstalk.resolve("::1", "203.0.113.7, fd00::1"));
        assertEquals("203.0.113.7", beanstalk.resolve("0:0:0:0:0:0:0:1", "203.0.113.7, ::ffff:10.1.2.3"));
        assertEquals("2001:db8::1", beanstalk.resolve("127.0.0.1", "2001:db8::1"));
        assertEquals(
                "1.1.1.1",
                new ClientAddress(List.of("192.0.2.0/31")).resolve("192.0.2.1", "1.1.1.1, 192.0.2.0"),
                "a chain of trusted proxies is walked through to the first untrusted entry");
    }

    @Test
    void malformedRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("localhost")));
    }
}
