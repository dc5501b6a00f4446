package io.tally.testing;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Invariants shared by the fuzz tests: what any refusal and any accepted value must satisfy. */
public final class FuzzChecks {
    /** An error text is echoed to the client inside an error frame or problem body: keep it small. */
    public static final int MAX_ERROR_LENGTH = 300;

    private FuzzChecks() {}

    /**
     * A refusal's message goes back to the client: it must be short (no reflection of a 64 KiB
     * frame) and well-formed UTF-16 (a lone surrogate cannot be encoded into a WebSocket text frame).
     */
    public static void assertSafeMessage(String message) {
        if (message == null || message.isEmpty()) throw new AssertionError("a refusal needs a message");
        if (message.length() > MAX_ERROR_LENGTH) {
            throw new AssertionError(
                    "error message of " + message.length() + " chars: " + message.substring(0, 80) + "…");
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= message.length() || !Character.isLowSurrogate(message.charAt(i + 1))) {
                    throw new AssertionError("lone high surrogate at " + i + " in error message");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new AssertionError("lone low surrogate at " + i + " in error message");
            }
        }
    }

    /**
     * Equality of parsed JSON values where numbers compare by value: the writer may print 1.0 as 1,
     * which reads back as a Long.
     */
    public static boolean sameJson(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof Number x && b instanceof Number y) return decimal(x).compareTo(decimal(y)) == 0;
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !sameJson(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) if (!sameJson(i.next(), j.next())) return false;
            return true;
        }
        return a.equals(b);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(n.doubleValue());
    }
}
