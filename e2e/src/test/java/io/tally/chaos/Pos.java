package io.tally.chaos;

import java.util.Map;

/** A position on the wire: epoch + offset ("MAJOR" or "MAJOR-MINOR", compared numerically). */
record Pos(String epoch, String offset) {
    static Pos of(Object wire) {
        if (!(wire instanceof Map<?, ?> m) || m.get("epoch") == null || m.get("offset") == null) return null;
        return new Pos(m.get("epoch").toString(), m.get("offset").toString());
    }

    String json() {
        return "{\"epoch\":\"" + epoch + "\",\"offset\":\"" + offset + "\"}";
    }

    /** Offsets of one epoch: negative, zero or positive like compareTo. */
    static int compareOffsets(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compare(x[0], y[0]);
        return c != 0 ? c : Long.compare(x[1], y[1]);
    }

    private static long[] parse(String o) {
        int dash = o.indexOf('-');
        if (dash < 0) return new long[] {Long.parseLong(o), 0};
        return new long[] {Long.parseLong(o.substring(0, dash)), Long.parseLong(o.substring(dash + 1))};
    }

    /** True when this position is at or past {@code other} in the same epoch. */
    boolean reached(Pos other) {
        return other != null && epoch.equals(other.epoch) && compareOffsets(offset, other.offset) >= 0;
    }

    @Override
    public String toString() {
        return epoch + "/" + offset;
    }
}
