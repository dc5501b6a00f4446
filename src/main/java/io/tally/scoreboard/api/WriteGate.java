package io.tally.scoreboard.api;

import io.tally.scoreboard.store.Scorer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * What every write (and the console's token check) passes before its body is read, in this order:
 * the origin check (403), the rate limit per client address (429), then the token (401): the admin
 * token or a scorer's. Answers who is writing.
 */
final class WriteGate {
    private final WriteOrigins origins;
    private final WriteLimiter limiter;
    private final ClientAddresses clients;
    private final AdminToken token;
    private final ScorerTokens scorers;

    WriteGate(ApiSettings settings, WriteLimiter limiter, AdminToken token, ScorerTokens scorers) {
        this.origins = new WriteOrigins(settings.allowedOrigins());
        this.limiter = limiter;
        this.clients = new ClientAddresses(settings.trustedProxies());
        this.token = token;
        this.scorers = scorers;
    }

    Writer authorize(HttpServletRequest req) {
        if (!origins.allows(req)) {
            throw new Problem(403, "origin-forbidden", "writes are only accepted from this site's own pages");
        }
        long wait = limiter.acquire(clients.of(req));
        if (wait > 0) {
            throw new Problem(429, "rate-limited", "too many changes at once; wait " + wait + " s and try again")
                    .header("Retry-After", Long.toString(wait));
        }
        String auth = req.getHeader("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new Problem(401, "token-missing", "enter the scorer token to make changes")
                    .header("WWW-Authenticate", "Bearer realm=\"tally\"");
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String presented = auth.substring(7).trim();
            if (token.matches(presented)) return Writer.ADMIN;
            Optional<Scorer> scorer = scorers.find(presented);
            if (scorer.isPresent()) return new Writer(scorer.get());
        }
        throw new Problem(401, "token-invalid", "the scorer token is not correct (or no longer accepted)")
                .header("WWW-Authenticate", "Bearer realm=\"tally\", error=\"invalid_token\"");
    }

    static void requireAdmin(Writer writer) {
        if (!writer.isAdmin()) {
            throw new Problem(
                    403,
                    "admin-only",
                    "this scorer token may only score game " + writer.scorer().game() + "; this needs the admin token");
        }
    }
}
