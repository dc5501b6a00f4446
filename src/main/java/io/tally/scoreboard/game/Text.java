package io.tally.scoreboard.game;

/** Rules for text typed by scorers: trimmed, bounded, no control characters. Rendering is always as text. */
final class Text {
    static final int MAX_NAME = 60;
    static final int MAX_LABEL = 40;

    private Text() {}

    static String name(Object value, String field) {
        return check(value, field, MAX_NAME, false);
    }

    static String label(Object value, String field, boolean allowEmpty) {
        return check(value, field, MAX_LABEL, allowEmpty);
    }

    private static String check(Object value, String field, int max, boolean allowEmpty) {
        if (!(value instanceof String raw)) throw new InvalidInput(field + " must be a string");
        String s = raw.strip();
        if (s.isEmpty() && !allowEmpty) throw new InvalidInput(field + " must not be empty");
        if (s.codePointCount(0, s.length()) > max)
            throw new InvalidInput(field + " must be at most " + max + " characters");
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)))
                throw new InvalidInput(field + " must not contain control characters");
        }
        return s;
    }

    /** Echoing user input in an error message: short and printable. */
    static String clip(String s) {
        // Never cut between the two halves of a surrogate pair: half a pair is not text.
        int end = s.length() > 30 && Character.isHighSurrogate(s.charAt(29)) ? 29 : 30;
        String t = s.length() > 30 ? s.substring(0, end) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
