package io.tally.doctor.cli;

import java.util.Locale;

/**
 * Who produced an HTTP answer on the path: Tally (its answers, errors included, are JSON), nginx
 * (its Server header or the "nginx" on its HTML error pages) or else the load balancer (the ALB's
 * pages say "awselb", HAProxy's nothing).
 */
enum Answerer {
    TALLY("Tally"),
    NGINX("nginx"),
    BALANCER("the load balancer");

    final String label;

    Answerer(String label) {
        this.label = label;
    }

    static Answerer of(String contentType, String server, String body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) return TALLY;
        if (server != null && server.toLowerCase(Locale.ROOT).startsWith("nginx")) return NGINX;
        if (body != null && body.toLowerCase(Locale.ROOT).contains("nginx")) return NGINX;
        return BALANCER;
    }
}
