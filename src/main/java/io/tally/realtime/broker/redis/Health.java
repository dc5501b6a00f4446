package io.tally.realtime.broker.redis;

import io.tally.realtime.broker.BrokerStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker knows of Redis's reachability, from its commands and from each subscriber
 * connection. Details name hosts and errors, never credentials.
 */
final class Health {
    private final String mode;
    private final String target;
    private volatile long commandsDownSince;
    private volatile String commandsProblem;
    private final Map<String, Down> subscribersDown = new ConcurrentHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long deliveryLagMillis;

    private record Down(long since, String problem) {}

    Health(String mode, String target) {
        this.mode = mode;
        this.target = target;
    }

    void commandsUp() {
        if (commandsDownSince != 0) commandsDownSince = 0;
    }

    void commandsDown(Throwable cause) {
        commandsProblem = describe(cause);
        if (commandsDownSince == 0) commandsDownSince = System.currentTimeMillis();
    }

    void subscriberUp(String link, boolean reconnect) {
        subscribersDown.remove(link);
        if (reconnect) reconnects.incrementAndGet();
    }

    void subscriberDown(String link, Throwable cause) {
        String problem = cause == null ? "connecting" : describe(cause);
        subscribersDown.compute(link, (k, d) -> new Down(d == null ? System.currentTimeMillis() : d.since(), problem));
    }

    void subscriberGone(String link) {
        subscribersDown.remove(link);
    }

    /** How late the last delivered message was, measured against its stream id's clock (Redis's). */
    void delivered(long publishedAtMillis) {
        deliveryLagMillis = Math.max(0, System.currentTimeMillis() - publishedAtMillis);
    }

    BrokerStatus status(boolean closed) {
        if (closed) return new BrokerStatus(false, mode, "closed", 0, reconnects.get());
        long now = System.currentTimeMillis();
        long since = commandsDownSince;
        String problem = since != 0 ? commandsProblem : null;
        for (Map.Entry<String, Down> e : subscribersDown.entrySet()) {
            Down d = e.getValue();
            if (since == 0 || d.since() < since) {
                since = d.since();
                problem = "subscriber " + e.getKey() + ": " + d.problem();
            }
        }
        if (since == 0)
            return new BrokerStatus(true, mode, "connected to " + target, deliveryLagMillis, reconnects.get());
        return new BrokerStatus(
                false,
                mode,
                "Redis unavailable at " + target + " for " + (now - since) + " ms: " + problem,
                now - since,
                reconnects.get());
    }

    /** An exception's gist, without a stack trace; Jedis's messages name host and port, not passwords. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
