package io.tally;

import io.tally.realtime.Realtime;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * A filter mapped to nothing, registered only for its {@link #destroy}: the earliest shutdown hook
 * the Servlet API offers. The spec destroys every filter and servlet before it notifies any context
 * listener, and Tomcat's own WebSocket listener closes every session with 1001 when it is
 * notified; a drain in {@code contextDestroyed} would find no session left to tell "reconnect".
 * (Tomcat registers that listener after ours, so it is notified first.)
 */
final class DrainOnStop implements Filter {
    private final Realtime realtime;
    private final long graceMillis;

    DrainOnStop(Realtime realtime, long graceMillis) {
        this.realtime = realtime;
        this.graceMillis = graceMillis;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        realtime.drain(graceMillis);
    }
}
