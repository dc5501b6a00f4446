package io.tally.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's timing configuration next to the idle timeouts of the proxies in front of it, and a
 * verdict: every interval that keeps a connection busy (heartbeat, poll hold) must be shorter than
 * the shortest idle timeout on the path, or idle connections are cut (WebSocket close 1006, poll 504).
 */
public final class ConfigReport {
    private ConfigReport() {}

    /** Pure: the verdict for these values. */
    public static Verdict verdict(int heartbeatMillis, int pollHoldMillis, DoctorSettings proxies) {
        int proxyMs = proxies.proxyIdleTimeoutSeconds() * 1000;
        int lbMs = proxies.lbIdleTimeoutSeconds() * 1000;
        int idleMs = Math.min(proxyMs, lbMs);
        String shortest = proxyMs <= lbMs
                ? "nginx's " + proxies.proxyIdleTimeoutSeconds() + " s proxy_read_timeout ("
                        + DoctorSettings.PROXY_IDLE_TIMEOUT + ")"
                : "the load balancer's " + proxies.lbIdleTimeoutSeconds() + " s idle timeout ("
                        + DoctorSettings.LB_IDLE_TIMEOUT + ")";
        List<String> problems = new ArrayList<>();
        if (heartbeatMillis >= idleMs) {
            problems.add("heartbeat " + seconds(heartbeatMillis) + " is not shorter than " + shortest
                    + ": a quiet WebSocket is cut before the server pings it");
        }
        if (pollHoldMillis >= idleMs) {
            problems.add("poll hold " + seconds(pollHoldMillis) + " is not shorter than " + shortest
                    + ": held long-polls end in 504 Gateway Timeout");
        }
        String values = "heartbeat " + seconds(heartbeatMillis) + ", poll hold " + seconds(pollHoldMillis)
                + "; configured for nginx " + proxies.proxyIdleTimeoutSeconds() + " s and load balancer "
                + proxies.lbIdleTimeoutSeconds() + " s idle timeouts";
        if (problems.isEmpty()) {
            return Verdict.pass(values + ": both intervals are below the shortest idle timeout");
        }
        return Verdict.of("config.timeouts", String.join("; ", problems) + " (" + values + ")");
    }

    /** The JSON of {@code GET /doctor/api/config}. */
    public static Map<String, Object> json(
            String instanceId,
            int heartbeatMillis,
            int peerTimeoutMillis,
            int pollHoldMillis,
            DoctorSettings proxies,
            String container) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", instanceId);
        m.put("heartbeatMs", heartbeatMillis);
        m.put("peerTimeoutMs", peerTimeoutMillis);
        m.put("pollHoldMs", pollHoldMillis);
        m.put("proxyIdleTimeoutS", proxies.proxyIdleTimeoutSeconds());
        m.put("lbIdleTimeoutS", proxies.lbIdleTimeoutSeconds());
        m.put("container", container);
        m.put("java", Runtime.version().feature());
        m.put("verdict", verdict(heartbeatMillis, pollHoldMillis, proxies).toJson());
        return m;
    }

    static String seconds(int millis) {
        return millis % 1000 == 0
                ? millis / 1000 + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
