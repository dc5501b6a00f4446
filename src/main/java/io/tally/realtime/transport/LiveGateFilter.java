package io.tally.realtime.transport;

import io.tally.http.Problems;
import io.tally.realtime.ClientAddress;
import io.tally.realtime.OriginPolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gate in front of {@code /live/*}: refuses cross-site origins (403), and whatever
 * {@link Admission} refuses (draining, capacity, per-address limits), before a WebSocket upgrade or
 * a poll starts. It passes the resolved client address on in a header of its own, which it always
 * overwrites, so the WebSocket endpoint (which the standard API gives no peer address) learns it.
 */
public final class LiveGateFilter extends HttpFilter {
    public static final String CLIENT_ADDRESS_HEADER = "X-Tally-Client-Address";

    private final OriginPolicy origins;
    private final ClientAddress clientAddress;
    private final Admission admission;

    public LiveGateFilter(OriginPolicy origins, ClientAddress clientAddress, Admission admission) {
        this.origins = origins;
        this.clientAddress = clientAddress;
        this.admission = admission;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        String origin = request.getHeader("Origin");
        if (!origins.allows(
                origin, request.getHeader("Host"), request.getHeader("X-Forwarded-Proto"), request.getScheme())) {
            Problems.send(
                    response,
                    403,
                    "origin-forbidden",
                    "cross-site connections are refused; add the page's origin to TALLY_ALLOWED_ORIGINS to allow it",
                    0);
            return;
        }
        String address = clientAddress.resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        Admission.Refusal refusal = admission.check(address, upgrade);
        if (refusal != null) {
            Problems.send(response, refusal.status(), refusal.code(), refusal.message(), refusal.retryAfterSeconds());
            return;
        }
        // The slot reserved now is held until the poll is answered or the connection closes.
        Slot slot = new Slot(address);
        WithClientAddress forwarded = new WithClientAddress(request, address, slot);
        if (upgrade) admission.expectConnection(address);
        try {
            chain.doFilter(forwarded, response);
        } finally {
            boolean upgraded = upgrade && response.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS;
            // Upgraded: the connection took the slot over (its close gives it back). Async: the
            // slot goes back when the request completes.
            if (upgrade && !upgraded) admission.cancelConnection(address);
            if (!upgraded && !forwarded.async) slot.release();
        }
    }

    /** One reserved slot, given back once however the request ends. */
    private final class Slot implements AsyncListener {
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        Slot(String address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) admission.release(address);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The servlet's own listener answers; completion follows and releases.
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a listener is dropped when async restarts
        }
    }

    private static final class WithClientAddress extends HttpServletRequestWrapper {
        private final String address;
        private final Slot slot;
        private boolean async;

        WithClientAddress(HttpServletRequest request, String address, Slot slot) {
            super(request);
            this.address = address;
            this.slot = slot;
        }

        @Override
        public AsyncContext startAsync() {
            return held(super.startAsync());
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            return held(super.startAsync(request, response));
        }

        private AsyncContext held(AsyncContext context) {
            if (!async) context.addListener(slot);
            async = true;
            return context;
        }

        @Override
        public String getHeader(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            java.util.List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(CLIENT_ADDRESS_HEADER::equalsIgnoreCase);
            names.add(CLIENT_ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }
}
