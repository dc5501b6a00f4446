package io.tally.realtime;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a browser's {@code Origin} may open a connection (against cross-site WebSocket
 * hijacking). Allowed: no Origin header (not a browser), the request's own origin as the client saw
 * it (scheme from {@code X-Forwarded-Proto} when a proxy ended TLS, host from {@code Host}), or an
 * origin on the allow-list ({@code *} allows all, explicitly).
 */
public final class OriginPolicy {
    private final List<String> allowed;

    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).toList();
    }

    public boolean allows(String origin, String host, String forwardedProto, String requestScheme) {
        if (origin == null || origin.isEmpty()) return true;
        String o = normalise(origin);
        if (allowed.contains("*") || allowed.contains(o)) return true;
        if (host == null || host.isEmpty()) return false;
        String scheme =
                forwardedProto != null && !forwardedProto.isBlank() ? firstToken(forwardedProto) : requestScheme;
        return o.equals(normalise(scheme + "://" + host));
    }

    private static String firstToken(String csv) {
        int comma = csv.indexOf(',');
        return (comma < 0 ? csv : csv.substring(0, comma)).trim();
    }

    /** Lower-case scheme and host; default ports dropped; "null" and junk stay as they are (and never match a host). */
    static String normalise(String origin) {
        if (origin.equals("*")) return origin;
        try {
            URI u = new URI(origin.trim());
            if (u.getScheme() == null || u.getHost() == null) return origin.trim();
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            String host = u.getHost().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1
                    || (port == 80 && (scheme.equals("http") || scheme.equals("ws")))
                    || (port == 443 && (scheme.equals("https") || scheme.equals("wss")));
            return scheme + "://" + host + (defaultPort ? "" : ":" + port);
        } catch (Exception e) {
            return origin.trim();
        }
    }
}
