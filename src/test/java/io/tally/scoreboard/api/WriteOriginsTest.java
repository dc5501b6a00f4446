package io.tally.scoreboard.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's origin check is the live gate's: same origin, default ports of every scheme, the allow-list. */
class WriteOriginsTest {

    private static HttpServletRequest request(String scheme, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                WriteOriginsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getScheme" -> scheme;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void allowsTheSameOriginAndRequestsWithoutOne() {
        WriteOrigins origins = new WriteOrigins(List.of());
        assertTrue(origins.allows(request("http", Map.of("Host", "scores.example.com"))));
        assertTrue(origins.allows(request(
                "http",
                Map.of(
                        "Origin",
                        "https://scores.example.com",
                        "Host",
                        "scores.example.com",
                        "X-Forwarded-Proto",
                        "https"))));
        assertFalse(origins.allows(
                request("http", Map.of("Origin", "https://evil.example", "Host", "scores.example.com"))));
    }

    @Test
    void treatsWebSocketDefaultPortsAsTheLiveGateDoes() {
        WriteOrigins origins = new WriteOrigins(List.of("wss://board.example.com:443"));
        assertTrue(origins.allows(
                request("http", Map.of("Origin", "wss://board.example.com", "Host", "api.example.com"))));
        assertFalse(origins.allows(
                request("http", Map.of("Origin", "wss://board.example.com:8443", "Host", "api.example.com"))));
    }
}
