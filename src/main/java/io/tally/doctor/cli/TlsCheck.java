package io.tally.doctor.cli;

import io.tally.doctor.cli.DoctorCli.Result;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The doctor's TLS check: https end to end, and Tomcat told the scheme the client used. */
final class TlsCheck {
    private TlsCheck() {}

    static Result run(URI base, Map<String, Object> whoami) {
        boolean https = base.getScheme().equals("https");
        String host = base.getHost();
        boolean loopback =
                host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        List<String> details = new ArrayList<>();
        details.add("URL: " + base.getScheme() + ", WebSocket: " + (https ? "wss" : "ws"));
        Object proto = whoami == null ? null : whoami.get("forwardedProto");
        if (whoami != null)
            details.add("Tomcat saw X-Forwarded-Proto: " + (proto == null ? "(none)" : proto) + ", Host: "
                    + whoami.get("host"));
        if (https) {
            if (proto instanceof String p && !p.split(",")[0].trim().equals("https")) {
                return new Result(
                        "tls",
                        "warn",
                        "Served over https, but Tomcat is told the scheme was " + p + ".",
                        "Let the load balancer set X-Forwarded-Proto and nginx pass it on unchanged (Tally's .platform/nginx does).",
                        details);
            }
            return new Result(
                    "tls", "pass", "https and wss: traffic is encrypted to the load balancer.", null, details);
        }
        if (loopback) {
            return new Result(
                    "tls",
                    "pass",
                    "Plain http on a loopback address: fine for a local test; a public deployment should use https (then wss).",
                    null,
                    details);
        }
        return new Result(
                "tls",
                "warn",
                "Served over plain http: scores and the WebSocket (ws:) travel unencrypted.",
                "Add an HTTPS listener to the load balancer (aws:elbv2:listener:443 with an ACM certificate in .ebextensions) and use the https:// address.",
                details);
    }
}
