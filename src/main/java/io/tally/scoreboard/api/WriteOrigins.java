package io.tally.scoreboard.api;

import io.tally.realtime.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Refuses writes from other sites' pages. Writes need a bearer token that browsers never attach on
 * their own, so this is defence in depth against CSRF: a browser request carrying a foreign
 * {@code Origin} is refused before its token is even looked at. Requests without Origin (curl,
 * servers) pass. The rule is the core's {@link OriginPolicy}, so the API and {@code /live/*} agree.
 */
final class WriteOrigins {
    private final OriginPolicy policy;

    WriteOrigins(List<String> allowed) {
        this.policy = new OriginPolicy(allowed);
    }

    boolean allows(HttpServletRequest req) {
        return policy.allows(
                req.getHeader("Origin"), req.getHeader("Host"), req.getHeader("X-Forwarded-Proto"), req.getScheme());
    }
}
