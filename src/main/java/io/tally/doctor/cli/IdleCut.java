package io.tally.doctor.cli;

import io.tally.doctor.Findings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code platform} check: measures where the path really cuts a quiet request, instead of
 * trusting the configured values. It asks {@code /doctor/api/hold} for an answer that comes only
 * after N seconds (default 65: past the 60 s that nginx's {@code proxy_read_timeout} and the ALB's
 * idle timeout have when our .platform and .ebextensions settings are not applied). A 504 from
 * nginx before that, with ours at 300 s, means nginx does not run our .platform files.
 */
final class IdleCut {
    static final int DEFAULT_SECONDS = 65;
    /** How long past the hold the client waits for any answer. */
    private static final int GRACE_SECONDS = 20;

    /** How a silent request ended: HTTP status (0: no answer), who answered (null: nobody), after how long. */
    record Outcome(int status, Answerer by, long afterMillis, String detail) {}

    private final HttpClient http;
    private final URI base;
    private final int seconds;
    private CompletableFuture<Outcome> pending;

    IdleCut(HttpClient http, URI base, int seconds) {
        this.http = http;
        this.base = base;
        this.seconds = seconds;
    }

    /** Sends the silent request; the other checks run meanwhile. */
    void start() {
        if (seconds <= 0) return;
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("doctor/api/hold?s=" + seconds))
                .timeout(Duration.ofSeconds(seconds + GRACE_SECONDS))
                .GET()
                .build();
        pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            long after = (System.nanoTime() - t0) / 1_000_000;
            if (e != null) return new Outcome(0, null, after, Text.describe(e));
            String detail = null;
            String type = r.headers().firstValue("Content-Type").orElse(null);
            Answerer by = Answerer.of(type, r.headers().firstValue("Server").orElse(null), r.body());
            if (by == Answerer.TALLY) {
                try {
                    Map<String, Object> body = io.tally.json.Json.parseObject(r.body(), 8);
                    detail = r.statusCode() == 200
                            ? "held on instance " + body.get("instance")
                            : String.valueOf(body.get("detail"));
                } catch (RuntimeException notJson) {
                    // detail stays null
                }
            }
            return new Outcome(r.statusCode(), by, after, detail);
        });
    }

    /** Waits for the silent request (bounded by its own timeout) and judges it. */
    Result result(Map<String, Object> config) {
        Number proxy = config != null && config.get("proxyIdleTimeoutS") instanceof Number n ? n : null;
        Number lb = config != null && config.get("lbIdleTimeoutS") instanceof Number n ? n : null;
        if (pending == null) return verdict(seconds, null, proxy, lb);
        try {
            return verdict(seconds, pending.get(seconds + GRACE_SECONDS + 5L, TimeUnit.SECONDS), proxy, lb);
        } catch (ExecutionException | TimeoutException e) {
            return verdict(seconds, new Outcome(0, null, (seconds + GRACE_SECONDS) * 1000L, "no answer"), proxy, lb);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Pure: the verdict on a request held silent for {@code seconds} that ended as {@code o}. */
    static Result verdict(int seconds, Outcome o, Number proxyS, Number lbS) {
        if (seconds <= 0 || o == null) {
            return Result.skipped("platform", "--hold 0");
        }
        List<String> details = new ArrayList<>();
        details.add("idle timeouts Tally was told: nginx " + (proxyS == null ? "?" : proxyS)
                + " s (TALLY_PROXY_IDLE_TIMEOUT_S), " + "load balancer " + (lbS == null ? "?" : lbS)
                + " s (TALLY_LB_IDLE_TIMEOUT_S)");
        long cut = Math.round(o.afterMillis() / 1000.0);
        if (o.status() == 0 && o.afterMillis() < 1_000) {
            return Result.of(
                    "platform", "needs.transports", "Could not measure the idle cut: " + o.detail() + ".", details);
        }
        if (o.status() == 200 && o.by() == Answerer.TALLY) {
            if (o.detail() != null) details.add(o.detail());
            if (seconds <= 60)
                details.add(
                        "a hold of 65 s or more (--hold 65, the default) tells the 60 s platform defaults from Tally's 300 s");
            return Result.pass(
                    "platform",
                    "A request silent for " + seconds + " s came through: nothing on the path cuts a quiet "
                            + "request that soon"
                            + (seconds > 60
                                    ? ", so neither nginx nor the load balancer runs on its 60 s default "
                                            + "(.platform/nginx and the .ebextensions idle timeout are applied)."
                                    : "."),
                    details);
        }
        if (o.by() == Answerer.TALLY) {
            details.add("answer: HTTP " + o.status() + (o.detail() == null ? "" : " — " + o.detail()));
            return Result.of(
                    "platform",
                    o.status() == 404 ? "platform.hold-missing" : "platform.hold-failed",
                    "Could not measure the idle cut: /doctor/api/hold answered HTTP " + o.status() + ".",
                    details);
        }
        String how = o.status() == 0 ? o.detail() : "HTTP " + o.status() + " from " + o.by().label;
        details.add("cut after " + o.afterMillis() + " ms: " + how);
        if (o.by() == Answerer.NGINX && o.status() == 504) {
            if (near(cut, proxyS)) {
                return Result.pass(
                        "platform",
                        "nginx cut a request silent for " + cut + " s, as TALLY_PROXY_IDLE_TIMEOUT_S says.",
                        details);
            }
            return Result.of(
                    "platform",
                    Findings.PLATFORM_NGINX,
                    "nginx cut a request that was silent for " + cut + " s (HTTP 504): its "
                            + "proxy_read_timeout is about " + cut + " s, not the " + (proxyS == null ? "?" : proxyS)
                            + " s Tally was told. Tally's .platform nginx "
                            + "files (proxy_read_timeout 300s) are not what nginx runs.",
                    details);
        }
        if (near(cut, lbS)) {
            return Result.pass(
                    "platform",
                    "The load balancer cut a request silent for " + cut + " s (" + how
                            + "), as TALLY_LB_IDLE_TIMEOUT_S says.",
                    details);
        }
        if (o.by() == Answerer.BALANCER && o.status() == 504) {
            return Result.of(
                    "platform",
                    Findings.PLATFORM_BALANCER,
                    "The load balancer cut a request that was silent for " + cut + " s (HTTP 504): its "
                            + "idle timeout is about " + cut + " s, not the " + (lbS == null ? "?" : lbS)
                            + " s Tally was told.",
                    details);
        }
        return Result.of(
                "platform",
                Findings.PLATFORM_CUT,
                "A request that was silent for " + cut + " s was cut (" + how + ") before the "
                        + "idle timeouts Tally was told about.",
                details);
    }

    /** Whether a measured cut matches a configured timeout (the cut lands within a second or two of it). */
    private static boolean near(long cutSeconds, Number configuredS) {
        if (configuredS == null) return false;
        long c = configuredS.longValue();
        return Math.abs(cutSeconds - c) <= Math.max(2, c / 10);
    }
}
