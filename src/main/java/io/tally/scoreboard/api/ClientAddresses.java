package io.tally.scoreboard.api;

import io.tally.realtime.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/** Who is asking, for rate limits: the core's {@link ClientAddress} rules, so both count one address alike. */
final class ClientAddresses {
    private final ClientAddress resolver;

    ClientAddresses(List<String> trustedProxies) {
        this.resolver = new ClientAddress(trustedProxies);
    }

    String of(HttpServletRequest req) {
        return resolver.resolve(req.getRemoteAddr(), req.getHeader("X-Forwarded-For"));
    }
}
