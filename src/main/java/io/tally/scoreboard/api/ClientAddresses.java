package io.tally.scoreboard.api;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is asking, for rate limits. {@code X-Forwarded-For} is believed only when the direct peer is on
 * loopback (nginx on the same host, as on Beanstalk) and only its last {@code trustedHops} entries:
 * anything further left was written by the client and could be forged.
 */
final class ClientAddresses {
    private final int trustedHops;

    ClientAddresses(int trustedHops) {
        this.trustedHops = trustedHops;
    }

    String of(HttpServletRequest req) {
        String peer = req.getRemoteAddr();
        String forwarded = req.getHeader("X-Forwarded-For");
        if (trustedHops <= 0 || forwarded == null || forwarded.isBlank() || !isLoopback(peer)) return peer;
        String[] hops = forwarded.split(",");
        String candidate = hops[Math.max(0, hops.length - trustedHops)].trim();
        return candidate.isEmpty() ? peer : candidate;
    }

    private static boolean isLoopback(String a) {
        return a != null && (a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1"));
    }
}
