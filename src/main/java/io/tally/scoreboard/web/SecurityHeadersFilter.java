package io.tally.scoreboard.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * Security headers on every response, set before the chain runs so they hold for pages, API, errors
 * and the live endpoints alike. The CSP allows only our own files: no inline script or style, no
 * framing (clickjacking of the scorer console), no foreign connections. The one exception is the
 * read-only widget under {@code /embed/}: other sites may frame it, as far as {@link EmbedAncestors}
 * allows. Async-supported, because it also sits in front of the long-poll servlet.
 */
public final class SecurityHeadersFilter implements Filter {
    private static final String BASE = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ";
    public static final String CSP = BASE + "'none'";

    private final EmbedAncestors embed;

    public SecurityHeadersFilter() {
        this(EmbedAncestors.ANY);
    }

    public SecurityHeadersFilter(EmbedAncestors embed) {
        this.embed = embed;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        if (isEmbed(req) && embed.allowed()) {
            // X-Frame-Options cannot name origins; browsers that know frame-ancestors ignore it anyway.
            resp.setHeader("Content-Security-Policy", BASE + embed.sources());
        } else {
            resp.setHeader("Content-Security-Policy", CSP);
            resp.setHeader("X-Frame-Options", "DENY");
        }
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        // TLS ends at the load balancer: HSTS only when the client's request really was HTTPS.
        String proto = req.getHeader("X-Forwarded-Proto");
        if (request.isSecure()
                || (proto != null && proto.trim().toLowerCase(Locale.ROOT).startsWith("https"))) {
            resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }

    /** The widget's pages; the container has decoded and normalised the path (no "/x/../embed/" tricks). */
    static boolean isEmbed(HttpServletRequest req) {
        String path = req.getServletPath();
        return path != null && path.equals(GamePageServlet.EMBED_PATH);
    }
}
