package io.tally.scoreboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HSTS only on responses to requests that came over HTTPS (TLS ends at the load balancer). */
class SecurityHeadersFilterTest {
    /** The headers the filter sets for a request with this X-Forwarded-Proto (null: none) and isSecure(). */
    private static Map<String, String> headersFor(String forwardedProto, boolean secure) throws Exception {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                loader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> "X-Forwarded-Proto".equalsIgnoreCase((String) args[0]) ? forwardedProto : null;
                    case "isSecure" -> secure;
                    default -> null;
                });
        Map<String, String> set = new HashMap<>();
        HttpServletResponse response = (HttpServletResponse)
                Proxy.newProxyInstance(loader(), new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setHeader")) set.put((String) args[0], (String) args[1]);
                    return null;
                });
        new SecurityHeadersFilter().doFilter(request, response, (req, resp) -> {});
        return set;
    }

    private static ClassLoader loader() {
        return SecurityHeadersFilterTest.class.getClassLoader();
    }

    @Test
    void hstsWhenTheBalancerSaysTheClientUsedHttps() throws Exception {
        assertEquals("max-age=31536000", headersFor("https", false).get("Strict-Transport-Security"));
        assertTrue(headersFor("HTTPS", false).containsKey("Strict-Transport-Security"));
    }

    @Test
    void hstsWhenTheConnectionItselfIsSecure() throws Exception {
        assertTrue(headersFor(null, true).containsKey("Strict-Transport-Security"));
    }

    @Test
    void neverOverPlainHttp() throws Exception {
        assertFalse(headersFor("http", false).containsKey("Strict-Transport-Security"));
        assertFalse(headersFor(null, false).containsKey("Strict-Transport-Security"));
        assertFalse(headersFor("", false).containsKey("Strict-Transport-Security"));
        assertTrue(
                headersFor("http", false).containsKey("Content-Security-Policy"), "the other headers are always there");
    }
}
