package io.tally.doctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.doctor.Findings;
import io.tally.doctor.cli.ConnectionBurst.Refusal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity check's verdict on a burst, and who answered a refusal. */
class ConnectionBurstTest {
    @Test
    void everythingOpenAndAnsweredPasses() {
        Result r = ConnectionBurst.verdict(50, 50, List.of(), List.of());
        assertEquals("pass", r.status());
        assertTrue(
                r.details().get(0).startsWith("50 of 50 extra WebSockets opened"),
                r.details().toString());
    }

    @Test
    void proxyErrorPagesMeanNginxRanOutOfConnections() {
        List<Refusal> refused = List.of(
                new Refusal(500, Answerer.NGINX, null),
                new Refusal(500, Answerer.NGINX, null),
                new Refusal(502, Answerer.BALANCER, null));
        Result r = ConnectionBurst.verdict(50, 14, refused, List.of(new Refusal(502, Answerer.BALANCER, null)));
        assertEquals("fail", r.status());
        assertTrue(r.summary().contains("nginx ran out of connections (worker_connections)"), r.summary());
        assertTrue(r.summary().contains("HTTP 500 from nginx ×2, HTTP 502 from the load balancer ×2"), r.summary());
        assertEquals(Findings.fix(Findings.NGINX_CONNECTIONS), r.fix());
    }

    @Test
    void tallysOwnRefusalsAndSilentClosesAreWarnings() {
        Result app = ConnectionBurst.verdict(50, 40, List.of(new Refusal(429, Answerer.TALLY, null)), List.of());
        assertEquals("warn", app.status());
        assertEquals(Findings.fix(Findings.APP_REFUSED), app.fix());
        Result silent = ConnectionBurst.verdict(50, 49, List.of(new Refusal(0, null, "connection closed")), List.of());
        assertEquals("warn", silent.status());
        assertEquals(Findings.fix(Findings.NGINX_CONNECTIONS), silent.fix());
    }

    @Test
    void answererTellsTallyNginxAndTheBalancerApart() {
        // Every answer through nginx carries "Server: nginx"; Tally's are JSON.
        assertEquals(Answerer.TALLY, Answerer.of("application/problem+json", "nginx", "{}"));
        assertEquals(Answerer.NGINX, Answerer.of("text/html", "nginx/1.22.1", "<html>"));
        assertEquals(Answerer.NGINX, Answerer.of("text/html", null, "<center>nginx</center>"));
        assertEquals(Answerer.BALANCER, Answerer.of("text/html", "awselb/2.0", "<h1>502 Bad Gateway</h1>"));
        assertEquals(Answerer.BALANCER, Answerer.of("text/html", null, "<h1>503 Service Unavailable</h1>"));
    }
}
