package io.tally.observability;

import io.tally.realtime.Realtime;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: Prometheus text, behind {@link MetricsAccess}. */
final class MetricsServlet extends HttpServlet {
    static final String PATH = "/metrics";

    private final Realtime realtime;
    private final MetricsAccess access;

    MetricsServlet(Realtime realtime, MetricsAccess access) {
        this.realtime = realtime;
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        MetricsAccess.Decision d =
                access.decide(request.getHeader("Authorization"), request.getRemoteAddr(), forwarded(request));
        if (!d.allowed()) {
            if (d.status() == 401) response.setHeader("WWW-Authenticate", "Bearer realm=\"tally-metrics\"");
            response.setStatus(d.status());
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(d.reason() + "\n");
            return;
        }
        PrometheusText out = new PrometheusText();
        RealtimeMetrics.writeTo(out, realtime);
        JvmMetrics.writeTo(out);
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Any proxy header at all, with any value: nginx sets X-Forwarded-For and X-Real-IP on everything it passes. */
    private static boolean forwarded(HttpServletRequest request) {
        return request.getHeader("X-Forwarded-For") != null
                || request.getHeader("X-Real-IP") != null
                || request.getHeader("Forwarded") != null;
    }
}
