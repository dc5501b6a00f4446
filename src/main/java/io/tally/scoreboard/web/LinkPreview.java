package io.tally.scoreboard.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code <title>} and Open Graph / Twitter card tags of a game's page, from its JSON (the shape
 * {@code GameJson} writes; fields it lacks are left out), so a shared link previews with the teams and
 * the score. Every value typed by a scorer is HTML-escaped.
 */
final class LinkPreview {
    static final String SITE = "Tally";
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private LinkPreview() {}

    /** Tags for a page that shows no particular game (unknown, or the store is unreachable). */
    static String generic(boolean embed) {
        return tags("Tally · live scores", "Live scores, as they happen.", embed);
    }

    static String of(Map<String, Object> game, boolean embed) {
        return tags(title(game) + " · " + SITE, description(game), embed);
    }

    static String title(Map<String, Object> game) {
        String home = name(game.get("home"));
        String away = name(game.get("away"));
        if ("scheduled".equals(game.get("status"))) return home + " v " + away;
        return home + " " + score(game.get("home")) + "–" + score(game.get("away")) + " " + away;
    }

    static String description(Map<String, Object> game) {
        StringBuilder d = new StringBuilder(sport(game.get("sport")));
        String status = String.valueOf(game.get("status"));
        switch (status) {
            case "live" -> d.append(" · Live");
            case "break" -> d.append(" · Break");
            case "final" -> d.append(" · Final");
            case "scheduled" -> {
                String starts = startsAt(game.get("startsAt"));
                d.append(starts == null ? " · Scheduled" : " · Starts " + starts);
            }
            default -> {}
        }
        if (game.get("period") instanceof String p && !p.isBlank() && !"scheduled".equals(status))
            d.append(" · ").append(p);
        return d.append(" · live score on ").append(SITE).toString();
    }

    private static String tags(String title, String description, boolean embed) {
        String t = Html.escape(title);
        String d = Html.escape(description);
        StringBuilder out = new StringBuilder();
        out.append("<title>").append(t).append("</title>\n");
        out.append("  <meta name=\"description\" content=\"").append(d).append("\">\n");
        out.append("  <meta property=\"og:site_name\" content=\"").append(SITE).append("\">\n");
        out.append("  <meta property=\"og:type\" content=\"website\">\n");
        out.append("  <meta property=\"og:title\" content=\"").append(t).append("\">\n");
        out.append("  <meta property=\"og:description\" content=\"").append(d).append("\">\n");
        out.append("  <meta name=\"twitter:card\" content=\"summary\">\n");
        out.append("  <meta name=\"twitter:title\" content=\"").append(t).append("\">\n");
        out.append("  <meta name=\"twitter:description\" content=\"").append(d).append("\">\n");
        if (embed) out.append("  <meta name=\"robots\" content=\"noindex\">\n");
        return out.toString();
    }

    private static String name(Object team) {
        return team instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : "?";
    }

    private static String score(Object team) {
        return team instanceof Map<?, ?> m && m.get("score") instanceof Number n ? String.valueOf(n.longValue()) : "0";
    }

    private static String sport(Object sport) {
        if (!(sport instanceof String s) || s.isBlank()) return "Game";
        String words = s.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String startsAt(Object value) {
        if (!(value instanceof String s)) return null;
        try {
            return START.format(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
