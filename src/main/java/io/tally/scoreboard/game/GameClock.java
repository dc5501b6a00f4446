package io.tally.scoreboard.game;

import java.util.Locale;

/**
 * The game clock: it showed {@code ms} at server time {@code at} (epoch ms) and, while running,
 * counts {@code direction} from there. Every screen computes the reading from these four values and
 * its estimate of the server's time, so no tick is ever sent.
 */
public record GameClock(boolean running, Direction direction, long ms, long at) {
    /** The longest a clock may be set to: 10 hours (nothing real is longer; bounds what a scorer types). */
    public static final long MAX_MS = 10 * 3_600_000L;

    public enum Direction {
        DOWN,
        UP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Direction parse(Object v) {
            if ("down".equals(v)) return DOWN;
            if ("up".equals(v)) return UP;
            throw new InvalidInput("clock direction must be \"down\" or \"up\"");
        }
    }

    /** What the clock shows at {@code nowMillis}: a countdown stops at 0, a count-up at {@link #MAX_MS}. */
    public long reading(long nowMillis) {
        if (!running) return ms;
        long elapsed = Math.max(0, nowMillis - at);
        return direction == Direction.DOWN ? Math.max(0, ms - elapsed) : Math.min(MAX_MS, ms + elapsed);
    }

    public GameClock started(long nowMillis) {
        return new GameClock(true, direction, ms, nowMillis);
    }

    public GameClock stopped(long nowMillis) {
        return new GameClock(false, direction, reading(nowMillis), nowMillis);
    }

    public GameClock set(long newMs, long nowMillis) {
        return new GameClock(running, direction, newMs, nowMillis);
    }
}
