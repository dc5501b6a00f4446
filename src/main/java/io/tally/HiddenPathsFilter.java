package io.tally;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Beanstalk reads its deployment folders ({@code .ebextensions/}, {@code .platform/}: hooks, nginx
 * config) from the WAR root, where the container would serve them as files. Any path with a
 * segment starting with "." answers 404, as if it were not there. The container decodes and
 * normalises the path before the filter sees it, so an encoded dot ({@code %2E}) is caught too.
 */
public final class HiddenPathsFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (hidden(path)) {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean hidden(String path) {
        return path.startsWith(".") || path.contains("/.");
    }
}
