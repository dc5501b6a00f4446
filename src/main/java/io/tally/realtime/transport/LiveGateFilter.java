package io.tally.realtime.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

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
        if (!origins.allows(origin, request.getHeader("Host"), request.getHeader("X-Forwarded-Proto"), request.getScheme())) {
            Problems.send(response, 403, "origin-forbidden",
                    "cross-site connections are refused; add the page's origin to TALLY_ALLOWED_ORIGINS to allow it", 0);
            return;
        }
        String address = clientAddress.resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        Admission.Refusal refusal = admission.check(address, upgrade);
        if (refusal != null) {
            Problems.send(response, refusal.status(), refusal.code(), refusal.message(), refusal.retryAfterSeconds());
            return;
        }
        chain.doFilter(new WithClientAddress(request, address), response);
    }

    private static final class WithClientAddress extends HttpServletRequestWrapper {
        private final String address;

        WithClientAddress(HttpServletRequest request, String address) {
            super(request);
            this.address = address;
        }

        @Override
        public String getHeader(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(address)) : super.getHeaders(name);
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
