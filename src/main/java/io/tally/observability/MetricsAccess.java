package io.tally.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read {@code /metrics}. With {@code TALLY_METRICS_TOKEN} set: whoever presents
 * {@code Authorization: Bearer <token>}, from anywhere (a scraper through the load balancer).
 * Without it: only a process on the instance itself, i.e. a loopback peer whose request carries
 * no proxy header. The second condition matters on Beanstalk: nginx on the same host proxies
 * every public request to Tomcat from 127.0.0.1, so "loopback" alone would admit the internet;
 * but nginx always adds {@code X-Forwarded-For} and {@code X-Real-IP} (the platform's and our
 * {@code .platform} locations both set them), while a local {@code curl localhost:8080/metrics}
 * sends neither. A request that claims to be forwarded is therefore never "local".
 */
final class MetricsAccess {
    /** The outcome: {@code status} 200 to serve, else the refusal's status and reason. */
    record Decision(int status, String reason) {
        boolean allowed() {
            return status == 200;
        }
    }

    static final Decision ALLOWED = new Decision(200, null);

    private final byte[] expected; // "Bearer <token>", or null when no token is configured

    MetricsAccess(String token) {
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    boolean tokenRequired() {
        return expected != null;
    }

    /**
     * @param forwarded whether the request carries any proxy header (X-Forwarded-For, X-Real-IP,
     *                  Forwarded), whatever its value
     */
    Decision decide(String authorization, String peerAddress, boolean forwarded) {
        if (expected != null) {
            // Constant-time comparison: the response time must not reveal how much of a guess matched.
            boolean ok = authorization != null
                    && MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8));
            return ok ? ALLOWED : new Decision(401, "a valid bearer token is required");
        }
        if (isLoopback(peerAddress) && !forwarded) return ALLOWED;
        return new Decision(
                403, "metrics are readable only from the instance itself unless TALLY_METRICS_TOKEN is set");
    }

    static boolean isLoopback(String address) {
        return address != null
                && (address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1"));
    }
}
