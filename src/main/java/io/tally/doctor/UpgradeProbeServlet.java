package io.tally.doctor;

import io.tally.http.Problems;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers requests to the WebSocket endpoint's path that were <em>not</em> upgraded. The container
 * upgrades a proper handshake before any servlet runs, so a request only gets here when it lacks
 * {@code Upgrade: websocket}: either somebody opened the URL as a page, or a proxy stripped the
 * upgrade headers from a real handshake (its {@code Sec-WebSocket-Key} still arrived). Either way
 * the answer says so in words (400, {@code application/problem+json}) instead of a bare 404, and a
 * doctor probe ({@code ?doctor-probe=NONCE}) is recorded for the page to look up.
 */
final class UpgradeProbeServlet extends HttpServlet {
    static final String PARAM = "doctor-probe";

    private final Probes probes;

    UpgradeProbeServlet(Probes probes) {
        this.probes = probes;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String upgrade = request.getHeader("Upgrade");
        String connection = request.getHeader("Connection");
        boolean hasKey = request.getHeader("Sec-WebSocket-Key") != null;
        String nonce = request.getParameter(PARAM);
        if (nonce != null)
            probes.record(nonce, upgrade, connection, hasKey, request.getHeader("Sec-WebSocket-Version"));

        String code;
        String detail;
        if (hasKey) {
            code = "upgrade-stripped";
            detail = "A WebSocket handshake reached Tally without 'Upgrade: websocket'"
                    + (connection == null ? " and without 'Connection: upgrade'" : " (Connection: " + connection + ")")
                    + ": a proxy in front of Tomcat dropped the upgrade headers. nginx needs proxy_http_version 1.1 and "
                    + "proxy_set_header Upgrade $http_upgrade / Connection \"upgrade\" (Tally's .platform/nginx files do this); "
                    + "a Classic Load Balancer with HTTP listeners cannot pass WebSockets: use an Application Load Balancer. "
                    + "Clients fall back to long-polling meanwhile. Details: open /doctor.";
        } else {
            code = "not-websocket";
            detail = "This is Tally's WebSocket endpoint: connect with a WebSocket client (ws:// or wss://). "
                    + "To check the deployment, open /doctor.";
        }
        response.setStatus(400);
        response.setContentType(Problems.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(Problems.body(400, code, detail));
    }
}
