package io.tally.scoreboard.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Security headers on every response, set before the chain runs so they hold for pages, API, errors
 * and the live endpoints alike. The CSP allows only our own files: no inline script or style, no
 * framing (clickjacking of the scorer console), no foreign connections. Async-supported, because it
 * also sits in front of the long-poll servlet.
 */
public final class SecurityHeadersFilter implements Filter {
    public static final String CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        // TLS ends at the load balancer: HSTS only when the client's request really was HTTPS.
        String proto = ((HttpServletRequest) request).getHeader("X-Forwarded-Proto");
        if (request.isSecure() || (proto != null && proto.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https"))) {
            resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }
}
