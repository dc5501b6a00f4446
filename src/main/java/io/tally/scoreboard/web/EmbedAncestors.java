package io.tally.scoreboard.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which sites may frame the widget ({@code /embed/{id}}): TALLY_EMBED_ORIGINS, a space- or
 * comma-separated list of origins ({@code https://club.example}, {@code https://*.club.example}),
 * {@code *} for any site (the default: the widget only shows a public score), or {@code none}.
 * Everything else Tally serves refuses to be framed whatever this says.
 */
public record EmbedAncestors(List<String> origins) {
    public static final EmbedAncestors ANY = new EmbedAncestors(List.of("*"));
    public static final EmbedAncestors NONE = new EmbedAncestors(List.of());
    private static final Pattern ORIGIN = Pattern.compile("https?://(\\*\\.)?[a-z0-9.-]+(:[0-9]{1,5})?");

    public EmbedAncestors {
        origins = List.copyOf(origins);
    }

    /** Parses the setting; anything but origins, {@code *} or {@code none} is refused with the reason. */
    public static EmbedAncestors parse(String value) {
        if (value == null || value.isBlank()) return ANY;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none")) return NONE;
        if (v.equals("*")) return ANY;
        List<String> out = new ArrayList<>();
        for (String part : v.split("[\\s,]+")) {
            String origin = part.endsWith("/") ? part.substring(0, part.length() - 1) : part;
            if (!ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("TALLY_EMBED_ORIGINS: \"" + part + "\" is not an origin such as "
                        + "https://club.example (list origins separated by spaces, or use * or none)");
            }
            out.add(origin);
        }
        return new EmbedAncestors(out);
    }

    public boolean allowed() {
        return !origins.isEmpty();
    }

    /** The frame-ancestors source list. */
    public String sources() {
        return allowed() ? String.join(" ", origins) : "'none'";
    }
}
