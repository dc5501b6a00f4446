package io.tally.doctor.cli;

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

    /** Fills {@code seen} with the instance and round trip of each probe. */
    Result run(Evidence seen) {
        List<String> pollInstances = seen.pollInstances;
        List<Long> pollRtts = seen.pollRtts;
        for (int i = 0; i < polls; i++) {
            long t0 = System.nanoTime();
            DoctorHttp.Response r = web.getJson("live/poll");
            long rtt = (System.nanoTime() - t0) / 1_000_000;
            if (r.status() != 200
                    || r.body() == null
                    || !"batch".equals(r.body().get("type"))) {
                return Result.of(
                        "polling",
                        r.status() == 403
                                ? "polling.origin-refused"
                                : r.status() == 503 ? "polling.busy" : "polling.unrouted",
                        "GET /live/poll failed: " + r.problem() + ". Viewers whose WebSocket fails cannot fall back.",
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
                return Result.of(
                        "polling",
                        "polling.protocol-mismatch",
                        "Polling answers, but a poll with a room did not come back with welcome and ack.",
                        details);
            }
            return Result.pass(
                    "polling",
                    "Long-polling works: " + polls + " probes and a poll with a room answered (median "
                            + Text.median(pollRtts) + " ms).",
                    details);
        }
        if (post.status() == 503
                && post.body() != null
                && "unavailable".equals(post.body().get("code"))) {
            details.add("POST /live/poll with a room: 503 unavailable ("
                    + post.body().get("detail") + ")");
            return Result.pass(
                    "polling",
                    "The polling transport works through the chain; polls that need history wait for the broker (see redis).",
                    details);
        }
        details.add("POST /live/poll: " + post.problem());
        return Result.of(
                "polling",
                post.status() == 403
                        ? "polling.origin-refused"
                        : post.status() == 413 ? "polling.body-too-large" : "polling.post-failed",
                "Polling probes answer, but a real poll (POST with a room) failed.",
                details);
    }
}
