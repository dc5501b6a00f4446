package io.tally.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fix texts of the doctor's client-side findings, in one place for both clients: the page reads
 * them from {@code GET /doctor/api/findings}, the command line from this class. (The server-side
 * verdicts, config and redis, carry their fix in their own answer.)
 */
public final class Findings {
    /** nginx (or the balancer in front of it) refused extra connections: worker_connections exhausted. */
    public static final String NGINX_CONNECTIONS = "capacity.nginx-connections";
    /** Extra WebSockets failed to open and the client cannot see why (the page). */
    public static final String CAPACITY_UNEXPLAINED = "capacity.unexplained";
    /** Tally itself refused the extra connections (its own limits). */
    public static final String APP_REFUSED = "capacity.app-refused";
    /** nginx cut a silent request at its built-in 60 s: our .platform/nginx files are not in use. */
    public static final String PLATFORM_NGINX = "platform.nginx-not-applied";
    /** The load balancer cut a silent request earlier than the idle timeout it was configured with. */
    public static final String PLATFORM_BALANCER = "platform.balancer-timeout";
    /** Something else closed a silent request early. */
    public static final String PLATFORM_CUT = "platform.cut";

    private static final Map<String, String> FIXES = new LinkedHashMap<>();

    static {
        FIXES.put(
                NGINX_CONNECTIONS,
                "Raise worker_connections in the events block of .platform/nginx/nginx.conf (Tally's sets "
                        + "16384; the platform default is 1024, about 500 viewers per nginx worker, since every proxied WebSocket holds "
                        + "a connection to the viewer and one to Tomcat) and keep worker_rlimit_nofile at least twice as high, then "
                        + "deploy tally-bundle.zip again. To confirm on the instance: sudo grep 'worker_connections are not enough' "
                        + "/var/log/nginx/error.log (or Logs > Request logs in the console), and sudo nginx -T | grep -E "
                        + "'worker_(connections|rlimit_nofile)' shows the values in use.");
        FIXES.put(
                CAPACITY_UNEXPLAINED,
                "A browser does not tell why a WebSocket failed to open: run bin/tally-doctor against the "
                        + "same address, which prints each refused handshake's HTTP status and who answered it, and look for "
                        + "'worker_connections are not enough' in /var/log/nginx/error.log on the instance.");
        FIXES.put(
                APP_REFUSED,
                "Tally refused them itself: TALLY_MAX_CONNECTIONS_PER_ADDRESS (200 by default) caps the "
                        + "connections from one address, TALLY_MAX_CONNECTIONS (20000) those of an instance. Raise them if many real "
                        + "viewers share one address (a school or an office behind NAT) or add instances.");
        FIXES.put(
                PLATFORM_NGINX,
                "Tally's .platform/nginx files are not in use (nginx keeps its 60 s proxy_read_timeout, "
                        + "1024 worker_connections and 1 MiB body limit). Deploy the source bundle target/tally-bundle.zip (ROOT.war "
                        + "with .platform/ and .ebextensions/ at the zip root), not the bare WAR: see docs/DEPLOY.md. On the instance, "
                        + "/etc/nginx/conf.d/tally.conf must exist and sudo nginx -T | grep proxy_read_timeout must show 300s. If you "
                        + "lowered proxy_read_timeout on purpose, set TALLY_PROXY_IDLE_TIMEOUT_S to that value.");
        FIXES.put(
                PLATFORM_BALANCER,
                "Set the load balancer's idle timeout as Tally's .ebextensions does (IdleTimeout: 300 under "
                        + "aws:elbv2:loadbalancer; the ALB default is 60 s) and check it under Configuration > Load balancer in the "
                        + "Elastic Beanstalk console; then set TALLY_LB_IDLE_TIMEOUT_S to the value in use.");
        FIXES.put(
                PLATFORM_CUT,
                "Something between this client and Tomcat closed a quiet request before the idle timeouts "
                        + "Tally was told about: a proxy or VPN on the client's side, a firewall, or an instance that stopped. Look "
                        + "for 'upstream timed out' in /var/log/nginx/error.log and compare TALLY_LB_IDLE_TIMEOUT_S and "
                        + "TALLY_PROXY_IDLE_TIMEOUT_S with the real settings.");
    }

    private Findings() {}

    /** The fix text of a finding; throws for an unknown id (a typo in a client). */
    public static String fix(String id) {
        String fix = FIXES.get(id);
        if (fix == null) throw new IllegalArgumentException("no such finding: " + id);
        return fix;
    }

    /** The JSON of {@code GET /doctor/api/findings}. */
    static Map<String, Object> json() {
        return Map.of("fixes", Collections.unmodifiableMap(FIXES));
    }
}
