package io.tally.realtime.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientAddressTest {

    @Test
    void believesForwardedForOnlyFromALoopbackProxyAndOnlyItsTrustedHops() {
        ClientAddress beanstalk = new ClientAddress(2);
        // The client forged "6.6.6.6"; the ALB appended the real address, nginx the ALB's.
        assertEquals("203.0.113.7", beanstalk.resolve("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.5"));
        assertEquals("203.0.113.7", beanstalk.resolve("127.0.0.1", "203.0.113.7, 10.0.0.5"));
        assertEquals("198.51.100.1", beanstalk.resolve("198.51.100.1", "1.2.3.4, 5.6.7.8"), "not from a trusted proxy");
        assertEquals("127.0.0.1", beanstalk.resolve("127.0.0.1", null));
        assertEquals("127.0.0.1", new ClientAddress(0).resolve("127.0.0.1", "1.2.3.4"));
    }
}
