package io.tally.doctor.cli;

import io.tally.doctor.Findings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code capacity} check: opens a burst of extra WebSockets at once (bounded, closed right
 * after), makes a few requests while they are open, and looks for refusals by the proxies rather
 * than by Tally. nginx counts every proxied WebSocket twice against {@code worker_connections} (the
 * viewer's connection and Tomcat's); a worker without a free one answers 500 (no connection to
 * Tomcat) or closes the viewer's connection, which the load balancer answers with 502.
 */
final class ConnectionBurst {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;
    static final int PROBES = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A handshake or request that did not succeed: HTTP status (0: none), who answered (null: nobody). */
    record Refusal(int status, Answerer by, String error) {
        boolean byProxy() {
            return status >= 500 && by != null && by != Answerer.TALLY;
        }

        String describe() {
            return status == 0 ? error : "HTTP " + status + " from " + by.label;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String origin;
    private final int size;

    ConnectionBurst(HttpClient http, URI base, String origin, int size) {
        this.http = http;
        this.base = base;
        this.origin = origin;
        this.size = size;
    }

    Result run() {
        URI ws = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
                + base.getRawPath() + "live/ws");
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            opening.add(http.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .header("Origin", origin)
                    .buildAsync(ws, new WebSocket.Listener() {}));
        }
        List<WebSocket> open = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos() + 1_000_000_000L;
        for (CompletableFuture<WebSocket> f : opening) {
            try {
                open.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                refused.add(refusal(e.getCause()));
            } catch (TimeoutException e) {
                f.thenAccept(WebSocket::abort); // opens late: closed at once
                refused.add(new Refusal(0, null, "no answer within " + TIMEOUT.toSeconds() + " s"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Refusal> probes = new ArrayList<>();
        try {
            // While they are all open: can the instance still take an ordinary request?
            for (int i = 0; i < PROBES; i++) {
                Refusal r = probe();
                if (r != null) probes.add(r);
            }
        } finally {
            close(open);
        }
        return verdict(size, open.size(), refused, probes);
    }

    private Refusal probe() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("doctor/api/whoami"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return null;
            return new Refusal(r.statusCode(), by(r), null);
        } catch (java.io.IOException e) {
            return new Refusal(0, null, Text.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refusal(0, null, "interrupted");
        }
    }

    private static Refusal refusal(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            HttpResponse<?> r = h.getResponse();
            return new Refusal(r.statusCode(), by(r), null);
        }
        return new Refusal(0, null, Text.describe(cause));
    }

    private static Answerer by(HttpResponse<?> r) {
        String body = r.body() instanceof String s
                ? s
                : r.body() instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : null;
        return Answerer.of(
                r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Server").orElse(null),
                body);
    }

    private static void close(List<WebSocket> open) {
        List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
        for (WebSocket w : open) closing.add(w.sendClose(WebSocket.NORMAL_CLOSURE, "doctor burst done"));
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closed below either way
        }
        for (WebSocket w : open) w.abort();
    }

    /** Pure: the verdict on a burst of {@code size} WebSockets of which {@code opened} opened. */
    static Result verdict(int size, int opened, List<Refusal> refused, List<Refusal> probes) {
        List<String> details = new ArrayList<>();
        details.add(opened + " of " + size + " extra WebSockets opened at once"
                + (refused.isEmpty() ? "" : "; refused: " + tally(refused)));
        details.add("requests made while they were open: " + (PROBES - probes.size()) + " of " + PROBES + " answered"
                + (probes.isEmpty() ? "" : "; refused: " + tally(probes)));
        List<Refusal> all = new ArrayList<>(refused);
        all.addAll(probes);
        List<Refusal> byProxy = all.stream().filter(Refusal::byProxy).toList();
        if (!byProxy.isEmpty()) {
            return Result.of(
                    "capacity",
                    Findings.NGINX_CONNECTIONS,
                    "nginx ran out of connections (worker_connections): with " + opened + " of " + size
                            + " extra WebSockets open, the proxies refused " + byProxy.size() + " connection(s) ("
                            + tally(byProxy)
                            + "). Viewers beyond this point get errors; nginx's error log says \"worker_connections are not enough\".",
                    details);
        }
        List<Refusal> unanswered = all.stream().filter(r -> r.status() == 0).toList();
        if (!unanswered.isEmpty()) {
            return Result.of(
                            "capacity",
                            Findings.NGINX_CONNECTIONS,
                            unanswered.size() + " of " + size + " extra connections got no answer ("
                                    + tally(unanswered)
                                    + "): nginx closes connections it has no room for (worker_connections), and so may "
                                    + "something else on the path.",
                            details)
                    .as("warn");
        }
        if (!all.isEmpty()) {
            return Result.of(
                    "capacity",
                    Findings.APP_REFUSED,
                    "Tally refused " + all.size() + " of the extra connections (" + tally(all)
                            + "); the proxies let them all through.",
                    details);
        }
        return Result.pass(
                "capacity",
                size + " extra WebSockets opened at once and the instance still answered requests: "
                        + "nginx has room (worker_connections) for more viewers.",
                details);
    }

    /** "HTTP 500 from nginx ×12, HTTP 502 from the load balancer ×3" */
    private static String tally(List<Refusal> rs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Refusal r : rs) counts.merge(r.describe(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        counts.forEach((what, n) -> parts.add(what + " ×" + n));
        return String.join(", ", parts);
    }
}
