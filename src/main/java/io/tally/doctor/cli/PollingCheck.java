package io.tally.doctor.cli;

import io.tally.doctor.cli.DoctorCli.Result;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The doctor's long-polling check: GET probes of {@code /live/poll} (which instance answered, how
 * fast), then one real poll with a room, as a viewer whose WebSocket failed would send it.
 */
final class PollingCheck {
    private final DoctorHttp web;
    private final URI base;
    private final String origin;
    private final Duration timeout;
    private final int polls;

    PollingCheck(DoctorHttp web, URI base, String origin, Duration timeout, int polls) {
        this.web = web;
        this.base = base;
        this.origin = origin;
        this.timeout = timeout;
        this.polls = polls;
    }

    /** Fills {@code instances} and {@code rtts} with what each probe saw. */
    Result run(List<String> pollInstances, List<Long> pollRtts) {
        for (int i = 0; i < polls; i++) {
            long t0 = System.nanoTime();
            DoctorHttp.Response r = web.getJson("live/poll");
            long rtt = (System.nanoTime() - t0) / 1_000_000;
            if (r.status() != 200
                    || r.body() == null
                    || !"batch".equals(r.body().get("type"))) {
                return new Result(
                        "polling",
                        "fail",
                        "GET /live/poll failed: " + r.problem() + ". Viewers whose WebSocket fails cannot fall back.",
                        r.status() == 403
                                ? "The origin check refused the poll: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/."
                                : "Check that the load balancer routes /live/ to the instances and that nginx proxies it (.platform/nginx).",
                        List.of("request " + (i + 1) + " of " + polls));
            }
            pollInstances.add(String.valueOf(r.body().get("instance")));
            pollRtts.add(rtt);
        }
        List<String> details = new ArrayList<>();
        details.add(polls + " probes answered by: " + String.join(", ", pollInstances));
        long t0 = System.nanoTime();
        DoctorHttp.Response post = web.send(HttpRequest.newBuilder(base.resolve("live/poll"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"v\":1,\"hello\":true,\"rooms\":{\"tally-doctor.echo\":null}}"))
                .build());
        long postRtt = (System.nanoTime() - t0) / 1_000_000;
        if (post.status() == 200
                && post.body() != null
                && "batch".equals(post.body().get("type"))) {
            List<String> types = new ArrayList<>();
            if (post.body().get("frames") instanceof List<?> frames) {
                for (Object f : frames) if (f instanceof Map<?, ?> m) types.add(String.valueOf(m.get("type")));
            }
            details.add("POST /live/poll with a room answered in " + postRtt + " ms by "
                    + post.body().get("instance") + ": " + String.join(", ", types));
            if (!types.contains("welcome") || !types.contains("ack")) {
                return new Result(
                        "polling",
                        "warn",
                        "Polling answers, but a poll with a room did not come back with welcome and ack.",
                        "Compare the server version with docs/PROTOCOL.md.",
                        details);
            }
            return new Result(
                    "polling",
                    "pass",
                    "Long-polling works: " + polls + " probes and a poll with a room answered (median "
                            + DoctorCli.median(pollRtts) + " ms).",
                    null,
                    details);
        }
        if (post.status() == 503
                && post.body() != null
                && "unavailable".equals(post.body().get("code"))) {
            details.add("POST /live/poll with a room: 503 unavailable ("
                    + post.body().get("detail") + ")");
            return new Result(
                    "polling",
                    "pass",
                    "The polling transport works through the chain; polls that need history wait for the broker (see redis).",
                    null,
                    details);
        }
        details.add("POST /live/poll: " + post.problem());
        return new Result(
                "polling",
                "fail",
                "Polling probes answer, but a real poll (POST with a room) failed.",
                post.status() == 403
                        ? "The origin check refused the POST: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/."
                        : post.status() == 413
                                ? "nginx refused the body: raise client_max_body_size (.platform/nginx/conf.d/tally.conf)."
                                : "Check the nginx and Tomcat logs of the instance that answered.",
                details);
    }
}
