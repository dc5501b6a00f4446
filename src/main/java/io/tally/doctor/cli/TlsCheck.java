package io.tally.doctor.cli;

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
                return Result.of(
                        "tls",
                        "tls.forwarded-proto",
                        "Served over https, but Tomcat is told the scheme was " + p + ".",
                        details);
            }
            return Result.pass("tls", "https and wss: traffic is encrypted to the load balancer.", details);
        }
        if (loopback) {
            return Result.pass(
                    "tls",
                    "Plain http on a loopback address: fine for a local test; a public deployment should use https (then wss).",
                    details);
        }
        return Result.of(
                "tls",
                "tls.plain-http",
                "Served over plain http: scores and the WebSocket (ws:) travel unencrypted.",
                details);
    }
}
