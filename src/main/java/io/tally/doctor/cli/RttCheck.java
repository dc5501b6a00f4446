package io.tally.doctor.cli;

import java.util.ArrayList;
import java.util.List;

/** The {@code rtt} check: median round trips of WebSocket pings and long-poll requests. */
final class RttCheck {
    private static final long WARN_MS = 1_000;
    private static final int PINGS = 5;

    private RttCheck() {}

    /** Pings the open WebSocket a few times; the polling check measured its own round trips. */
    static void measure(Evidence seen) {
        if (seen.socket == null) return;
        for (int i = 0; i < PINGS; i++) {
            long rtt = seen.socket.ping(5_000);
            if (rtt >= 0) seen.wsRtts.add(rtt);
        }
    }

    static Result run(Evidence seen) {
        List<Long> wsRtts = seen.wsRtts;
        List<Long> pollRtts = seen.pollRtts;
        List<String> details = new ArrayList<>();
        details.add(wsRtts.isEmpty() ? "WebSocket: not measured" : "WebSocket ping/pong: " + wsRtts + " ms");
        details.add(pollRtts.isEmpty() ? "long-polling: not measured" : "long-poll request: " + pollRtts + " ms");
        if (wsRtts.isEmpty() && pollRtts.isEmpty())
            return Result.of("rtt", "needs.transports", "Nothing to measure: both transports failed.", details);
        if (wsRtts.isEmpty()) {
            return Result.of(
                    "rtt",
                    "needs.websocket",
                    "Long-polling round trip " + Text.median(pollRtts) + " ms; WebSocket not measured (it failed).",
                    details);
        }
        long ws = Text.median(wsRtts);
        long poll = pollRtts.isEmpty() ? 0 : Text.median(pollRtts);
        if (Math.max(ws, poll) > WARN_MS) {
            return Result.of(
                    "rtt", "rtt.slow", "Slow round trips: WebSocket " + ws + " ms, polling " + poll + " ms.", details);
        }
        return Result.pass(
                "rtt", "WebSocket " + ws + " ms, long-polling " + poll + " ms (median round trips).", details);
    }
}
