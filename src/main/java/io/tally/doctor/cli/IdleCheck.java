package io.tally.doctor.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code idle} check: keeps the open WebSocket quiet past the server's heartbeat and sees that
 * the server's pings got through and the connection still answers.
 */
final class IdleCheck {
    private IdleCheck() {}

    /** @param idleSeconds how long to stay idle; negative: the heartbeat plus 3 s */
    static Result run(Evidence seen, int idleSeconds, PrintStream out) {
        long hb = seen.heartbeat != null
                ? seen.heartbeat.longValue()
                : seen.config != null && seen.config.get("heartbeatMs") instanceof Number n ? n.longValue() : 25_000;
        int seconds = idleSeconds >= 0 ? idleSeconds : (int) ((hb + 999) / 1000) + 3;
        ProbeSocket socket = seen.socket;
        if (socket == null) return Result.needsWebSocket("idle");
        if (seconds == 0) return Result.skipped("idle", "--idle 0");
        if (out != null) out.println("                 (keeping a WebSocket idle for " + seconds + " s…)");
        int before = socket.serverPings.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && !socket.closed.isDone()) Text.sleep(200);
        int pings = socket.serverPings.get() - before;
        List<String> details = new ArrayList<>();
        if (seen.config != null)
            details.add("idle timeouts configured: nginx " + seen.config.get("proxyIdleTimeoutS") + " s, load balancer "
                    + seen.config.get("lbIdleTimeoutS") + " s");
        if (socket.closed.isDone()) {
            return Result.of(
                    "idle",
                    "idle.closed",
                    "The idle WebSocket was closed (" + socket.closed.getNow("?") + ") with " + pings
                            + " server ping(s) received.",
                    details);
        }
        long rtt = socket.ping(5_000);
        if (rtt < 0) {
            return Result.of(
                    "idle",
                    "idle.stalled",
                    "After " + seconds + " s idle the WebSocket is open but no longer answers a ping.",
                    details);
        }
        if (pings == 0) {
            return Result.of(
                    "idle",
                    "idle.no-heartbeat",
                    "Kept idle " + seconds + " s: no server ping arrived, but the connection still answered a ping.",
                    details);
        }
        if (seconds < 65)
            details.add(
                    "this shows the heartbeat flows through the chain; --idle 70 holds a quiet connection past a 60 s idle timeout");
        return Result.pass(
                "idle",
                "Kept idle " + seconds + " s, past the " + hb / 1000.0 + " s heartbeat: " + pings
                        + " server ping(s) arrived and were answered, and the connection still answered a ping (" + rtt
                        + " ms).",
                details);
    }
}
