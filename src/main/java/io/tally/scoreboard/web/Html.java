package io.tally.scoreboard.web;

/** Text made safe for HTML element content and quoted attribute values. */
final class Html {
    private Html() {}

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Controls other than tab/newline have no business in a preview; drop them.
                    if (c < 0x20 && c != '\t' && c != '\n') continue;
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
