package io.tally.doctor.cli;

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
    private final Duration timeout;
    private Map<String, Object> whoami;

    WebSocketCheck(DoctorHttp web, URI base, String origin, Duration timeout) {
        this.web = web;
        this.base = base;
        this.origin = origin;
        this.timeout = timeout;
    }

    /** Opens the socket; after a pass, {@code seen} holds it with the instance and heartbeat that welcomed it. */
    Result run(Evidence seen) {
        whoami = seen.whoami;
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
            seen.socket = s;
            seen.wsInstance = String.valueOf(welcome.get("instance"));
            seen.heartbeat = welcome.get("heartbeat") instanceof Number n ? n : null;
            details.add("protocol v" + welcome.get("v") + ", server heartbeat " + welcome.get("heartbeat")
                    + " ms, dead-peer timeout " + welcome.get("timeout") + " ms");
            return Result.pass(
                    "websocket",
                    "Upgraded and welcomed by instance " + seen.wsInstance + " in " + took + " ms.",
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
                        + (body == null || body.isBlank() ? "" : ": " + Text.clip(body, 300)));
                return handshakeFailed(nonce, start, resp.statusCode(), body, details);
            }
            details.add("error: " + Text.describe(cause));
            return handshakeFailed(nonce, start, 0, null, details);
        } catch (TimeoutException e) {
            s.abort();
            if (s.socket != null) {
                return Result.of(
                        "websocket",
                        "websocket.stalled",
                        "The WebSocket opened but no welcome frame arrived within " + WELCOME_TIMEOUT_MS / 1000 + " s.",
                        details);
            }
            return Result.of(
                    "websocket",
                    "websocket.stalled",
                    "No answer to the WebSocket handshake within " + timeout.toSeconds()
                            + " s: something on the path holds it.",
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
                        .append(Text.enc(since.get("epoch")))
                        .append("&offset=")
                        .append(Text.enc(since.get("offset")));
            }
            for (int i = 0; i < 6 && record == null; i++) {
                DoctorHttp.Response r = web.getJson(q.toString());
                if (r.body() != null && Boolean.TRUE.equals(r.body().get("seen"))) record = r.body();
                else Text.sleep(300);
            }
        }
        boolean stripped = record != null || body != null && body.contains("\"upgrade-stripped\"");
        if (stripped) {
            if (record != null) {
                details.add("the handshake reached Tomcat on instance " + record.get("instance") + " with Upgrade: "
                        + Text.orMissing(record.get("upgrade")) + ", Connection: "
                        + Text.orMissing(record.get("connection"))
                        + ", Sec-WebSocket-Key "
                        + (Boolean.TRUE.equals(record.get("webSocketKey")) ? "present" : "missing"));
            }
            return Result.of(
                    "websocket",
                    "websocket.upgrade-stripped",
                    "The proxy stripped the upgrade headers: the WebSocket handshake reached Tomcat as a plain request without "
                            + "\"Upgrade: websocket\" (HTTP " + status + "). Viewers fall back to long-polling.",
                    details);
        }
        if (status == 403) {
            if (whoami != null)
                details.add("Tomcat sees this origin as " + whoami.get("originSeenAs") + "; the doctor sent " + origin);
            return Result.of(
                    "websocket",
                    "websocket.origin-refused",
                    "The WebSocket was refused with 403: the origin check does not match the Host/X-Forwarded-Proto reaching Tomcat.",
                    details);
        }
        if (status == 503 || status == 429) {
            return Result.of(
                    "websocket",
                    "websocket.refused-busy",
                    "The WebSocket was refused with " + status
                            + " (instance draining, full, or too many connections from this address).",
                    details);
        }
        return Result.of(
                "websocket",
                "websocket.handshake-failed",
                status == 0
                        ? "The WebSocket handshake failed before reaching Tally ("
                                + details.get(details.size() - 1).replace("error: ", "") + ")."
                        : "The WebSocket handshake was answered with HTTP " + status + " before reaching Tally.",
                details);
    }
}
