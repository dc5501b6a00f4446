package io.tally.realtime;

import io.tally.json.JsonValue;
import io.tally.json.JsonWriter;
import java.util.Map;

/**
 * Where a client stands in one room's history: the history's {@code epoch} (one life of it) and the
 * {@code offset} of the last message seen. Offsets are {@code MAJOR} or {@code MAJOR-MINOR} decimal
 * strings compared numerically (see {@link #compareOffsets}); {@code "0"} is before the first message.
 */
public record Position(String epoch, String offset) implements JsonValue {
    public static final String START = "0";

    public Position {
        if (epoch == null || epoch.isEmpty()) throw new IllegalArgumentException("epoch is required");
        if (!isValidOffset(offset)) throw new IllegalArgumentException("bad offset: " + offset);
    }

    /** Reads {@code {"epoch":..,"offset":..}}; throws IllegalArgumentException when malformed. */
    public static Position fromJson(Object value) {
        if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException("position must be an object");
        Object epoch = m.get("epoch");
        Object offset = m.get("offset");
        if (!(epoch instanceof String e) || e.isEmpty() || e.length() > 64) {
            throw new IllegalArgumentException("position.epoch must be a non-empty string");
        }
        if (!(offset instanceof String o) || !isValidOffset(o)) {
            throw new IllegalArgumentException("position.offset must be a string like \"17\" or \"1732540000000-0\"");
        }
        return new Position(e, o);
    }

    public boolean isAfter(Position other) {
        return compareOffsets(offset, other.offset) > 0;
    }

    public static boolean isValidOffset(String offset) {
        if (offset == null || offset.isEmpty() || offset.length() > 41) return false;
        int dash = offset.indexOf('-');
        if (dash < 0) return digits(offset, 0, offset.length());
        return digits(offset, 0, dash) && digits(offset, dash + 1, offset.length());
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to || to - from > 20) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** Compares two valid offsets numerically: MAJOR first, then MINOR (missing MINOR = 0). */
    public static int compareOffsets(String a, String b) {
        int c = compareDecimal(major(a), major(b));
        return c != 0 ? c : compareDecimal(minor(a), minor(b));
    }

    /**
     * An offset's first part as a number: the counter of a memory broker's offset, or the
     * milliseconds of a Redis stream id ("millis-seq"); {@code otherwise} when it is not one.
     */
    public static long majorOf(String offset, long otherwise) {
        try {
            return Long.parseLong(major(offset));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String major(String o) {
        int dash = o.indexOf('-');
        return dash < 0 ? o : o.substring(0, dash);
    }

    private static String minor(String o) {
        int dash = o.indexOf('-');
        return dash < 0 ? "0" : o.substring(dash + 1);
    }

    private static int compareDecimal(String a, String b) {
        a = stripZeros(a);
        b = stripZeros(b);
        if (a.length() != b.length()) return Integer.compare(a.length(), b.length());
        return a.compareTo(b);
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') i++;
        return s.substring(i);
    }

    @Override
    public void writeTo(JsonWriter out) {
        out.beginObject().field("epoch", epoch).field("offset", offset).endObject();
    }

    @Override
    public String toString() {
        return epoch + ":" + offset;
    }
}
