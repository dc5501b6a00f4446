package io.tally.realtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private final OriginPolicy sameOrigin = new OriginPolicy(List.of());

    @Test
    void acceptsTheRequestsOwnOriginAlsoBehindATlsTerminatingProxy() {
        assertTrue(sameOrigin.allows("http://localhost:8080", "localhost:8080", null, "http"));
        assertTrue(sameOrigin.allows("https://scores.example.com", "scores.example.com", "https", "http"));
        assertTrue(sameOrigin.allows("https://Scores.Example.com:443", "scores.example.com", "https", "http"));
        assertTrue(sameOrigin.allows(null, "x", null, "http"), "non-browser clients send no Origin");
    }

    @Test
    void refusesOtherSitesSchemesAndPorts() {
        assertFalse(sameOrigin.allows("https://evil.example", "scores.example.com", "https", "http"));
        assertFalse(sameOrigin.allows("http://scores.example.com", "scores.example.com", "https", "http"));
        assertFalse(sameOrigin.allows("http://localhost:8081", "localhost:8080", null, "http"));
        assertFalse(sameOrigin.allows("null", "localhost", null, "http"));
        assertFalse(sameOrigin.allows("http://a.com", null, null, "http"));
    }

    @Test
    void honoursTheAllowList() {
        OriginPolicy listed = new OriginPolicy(List.of("https://board.example.com"));
        assertTrue(listed.allows("https://board.example.com", "api.example.com", "https", "http"));
        assertFalse(listed.allows("https://other.example.com", "api.example.com", "https", "http"));
        assertTrue(new OriginPolicy(List.of("*")).allows("https://anything.example", "x", null, "http"));
    }

    @Test
    void dropsTheDefaultPortOfEveryScheme() {
        OriginPolicy listed = new OriginPolicy(
                List.of("wss://live.example.com:443", "ws://live.example.com:80", "https://board.example.com:443"));
        assertTrue(listed.allows("wss://live.example.com", "x", null, "http"));
        assertTrue(listed.allows("ws://live.example.com", "x", null, "http"));
        assertTrue(listed.allows("https://board.example.com", "x", null, "http"));
        assertFalse(listed.allows("wss://live.example.com:8443", "x", null, "http"));
        assertTrue(sameOrigin.allows("https://scores.example.com", "scores.example.com:443", "https", "http"));
        assertTrue(sameOrigin.allows("http://scores.example.com", "scores.example.com:80", null, "http"));
    }
}
