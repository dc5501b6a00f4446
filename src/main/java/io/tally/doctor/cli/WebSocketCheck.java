package io.tally.doctor.cli;

import io.tally.doctor.cli.DoctorCli.Result;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The doctor's WebSocket check: opens {@code /live/ws} as a browser would and waits for the welcome;
 * when the handshake fails, asks the server what reached it to tell a stripped upgrade from the rest.
 * The socket it opened stays open for the later checks (round trips, idle, capacity).
 */
final class WebSocketCheck {
    private static final long WELCOME_TIMEOUT_MS = 8_000;

    private final DoctorHttp web;
    private final URI base;
    private final String origin;
    private final Map<String, Object> whoami;
    private final Duration timeout;
    private ProbeSocket socket;
    private String instance;
    private Number heartbeat;

    WebSocketCheck(DoctorHttp web, URI base, String origin, Map<String, Object> whoami, Duration timeout) {
        this.web = web;
        this.base = base;
        this.origin = origin;
        this.whoami = whoami;
        this.timeout = timeout;
    }

    /** The open socket after a pass, else null. */
    ProbeSocket socket() {
        return socket;
    }

    /** The instance that welcomed the socket, else null. */
    String instance() {
        return instance;
    }

    /** The server's heartbeat from the welcome, if it said. */
    Number heartbeat() {
        return heartbeat;
    }

    Result run() {
        DoctorHttp.Response start = web.getJson("doctor/api/upgrade-probe");
        String nonce = start.body() != null && start.body().get("nonce") instanceof String n
                ? n
                : Long.toString(System.nanoTime(), 36) + "cli";
        URI ws = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
                + base.getRawPath() + "live/ws?doctor-probe=" + nonce);
        String shown = ws.getScheme() + "://" + ws.getRawAuthority() + ws.getRawPath();
        List<String> details = new ArrayList<>();
        details.add("URL: " + shown);
        long t0 = System.nanoTime();
        ProbeSocket s = new ProbeSocket();
        try {
            WebSocket w = web.client()
                    .newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .header("Origin", origin)
                    .buildAsync(ws, s)
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            s.socket = w;
            Map<String, Object> welcome = s.welcome.get(WELCOME_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long took = (System.nanoTime() - t0) / 1_000_000;
            socket = s;
            instance = String.valueOf(welcome.get("instance"));
            heartbeat = welcome.get("heartbeat") instanceof Number n ? n : null;
            details.add("protocol v" + welcome.get("v") + ", server heartbeat " + welcome.get("heartbeat")
                    + " ms, dead-peer timeout " + welcome.get("timeout") + " ms");
            return new Result(
                    "websocket",
                    "pass",
                    "Upgraded and welcomed by instance " + instance + " in " + took + " ms.",
                    null,
                    details);
        } catch (ExecutionException e) {
            s.abort();
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                HttpResponse<?> resp = h.getResponse();
                String body = resp.body() instanceof String str
                        ? str
                        : resp.body() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
                details.add("handshake answered HTTP " + resp.statusCode()
                        + (body == null || body.isBlank() ? "" : ": " + DoctorCli.clip(body, 300)));
                return handshakeFailed(nonce, start, resp.statusCode(), body, details);
            }
            details.add("error: " + DoctorCli.describe(cause));
            return handshakeFailed(nonce, start, 0, null, details);
        } catch (TimeoutException e) {
            s.abort();
            if (s.socket != null) {
                return new Result(
                        "websocket",
                        "fail",
                        "The WebSocket opened but no welcome frame arrived within " + WELCOME_TIMEOUT_MS / 1000 + " s.",
                        "Check that no proxy buffers /live/ (proxy_buffering off) and that the load balancer passes upgraded connections.",
                        details);
            }
            return new Result(
                    "websocket",
                    "fail",
                    "No answer to the WebSocket handshake within " + timeout.toSeconds()
                            + " s: something on the path holds it.",
                    "Use an Application Load Balancer (a Classic LB needs TCP listeners for WebSockets) and check the nginx error log.",
                    details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Result handshakeFailed(
            String nonce, DoctorHttp.Response start, int status, String body, List<String> details) {
        Map<String, Object> record = null;
        if (start.body() != null) {
            StringBuilder q = new StringBuilder("doctor/api/upgrade-probe?nonce=").append(nonce);
            if (start.body().get("since") instanceof Map<?, ?> since) {
                q.append("&epoch=")
                        .append(DoctorCli.enc(since.get("epoch")))
                        .append("&offset=")
                        .append(DoctorCli.enc(since.get("offset")));
            }
            for (int i = 0; i < 6 && record == null; i++) {
                DoctorHttp.Response r = web.getJson(q.toString());
                if (r.body() != null && Boolean.TRUE.equals(r.body().get("seen"))) record = r.body();
                else DoctorCli.sleep(300);
            }
        }
        boolean stripped = record != null || body != null && body.contains("\"upgrade-stripped\"");
        if (stripped) {
            if (record != null) {
                details.add("the handshake reached Tomcat on instance " + record.get("instance") + " with Upgrade: "
                        + DoctorCli.orMissing(record.get("upgrade")) + ", Connection: "
                        + DoctorCli.orMissing(record.get("connection"))
                        + ", Sec-WebSocket-Key "
                        + (Boolean.TRUE.equals(record.get("webSocketKey")) ? "present" : "missing"));
            }
            return new Result(
                    "websocket",
                    "fail",
                    "The proxy stripped the upgrade headers: the WebSocket handshake reached Tomcat as a plain request without "
                            + "\"Upgrade: websocket\" (HTTP " + status + "). Viewers fall back to long-polling.",
                    "In nginx, proxy /live/ with proxy_http_version 1.1, proxy_set_header Upgrade $http_upgrade and "
                            + "proxy_set_header Connection \"upgrade\" (ship Tally's .platform/nginx files; AL2/AL2023 ignore "
                            + ".ebextensions/nginx). A Classic LB with HTTP listeners cannot pass WebSockets: use an Application Load Balancer.",
                    details);
        }
        if (status == 403) {
            if (whoami != null)
                details.add("Tomcat sees this origin as " + whoami.get("originSeenAs") + "; the doctor sent " + origin);
            return new Result(
                    "websocket",
                    "fail",
                    "The WebSocket was refused with 403: the origin check does not match the Host/X-Forwarded-Proto reaching Tomcat.",
                    "Forward the client's Host (with port) and X-Forwarded-Proto to Tomcat for /live/ (Tally's .platform/nginx does), or add the origin to TALLY_ALLOWED_ORIGINS.",
                    details);
        }
        if (status == 503 || status == 429) {
            return new Result(
                    "websocket",
                    "fail",
                    "The WebSocket was refused with " + status
                            + " (instance draining, full, or too many connections from this address).",
                    "Retry in a moment; raise TALLY_MAX_CONNECTIONS / TALLY_MAX_CONNECTIONS_PER_ADDRESS if it persists.",
                    details);
        }
        return new Result(
                "websocket",
                "fail",
                status == 0
                        ? "The WebSocket handshake failed before reaching Tally ("
                                + details.get(details.size() - 1).replace("error: ", "") + ")."
                        : "The WebSocket handshake was answered with HTTP " + status + " before reaching Tally.",
                "Use an Application Load Balancer (a Classic LB with HTTP listeners answers upgrades with 400), keep nginx as the proxy "
                        + "with Tally's .platform/nginx files, and check the nginx error log on the instance.",
                details);
    }
}
