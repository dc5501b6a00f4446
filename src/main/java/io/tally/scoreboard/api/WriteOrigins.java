package io.tally.scoreboard.api;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Refuses writes from other sites' pages. Writes need a bearer token that browsers never attach on
 * their own, so this is defence in depth against CSRF: a browser request carrying a foreign
 * {@code Origin} is refused before its token is even looked at. Requests without Origin (curl,
 * servers) pass.
 */
final class WriteOrigins {
    private final List<String> allowed;

    WriteOrigins(List<String> allowed) {
        this.allowed = allowed.stream().map(WriteOrigins::normalise).toList();
    }

    boolean allows(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin == null || origin.isEmpty()) return true;
        String o = normalise(origin);
        if (allowed.contains("*") || allowed.contains(o)) return true;
        String host = req.getHeader("Host");
        if (host == null) return false;
        String proto = req.getHeader("X-Forwarded-Proto");
        String scheme = proto != null && !proto.isBlank() ? proto.split(",")[0].trim() : req.getScheme();
        return o.equals(normalise(scheme + "://" + host));
    }

    static String normalise(String origin) {
        if (origin.equals("*")) return origin;
        try {
            URI u = new URI(origin.trim());
            if (u.getScheme() == null || u.getHost() == null) return origin.trim();
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (Exception e) {
            return origin.trim();
        }
    }
}
