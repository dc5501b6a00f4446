package io.tally.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small readers for nginx config text: directives without comments, values of one directive. */
final class NginxFiles {
    private NginxFiles() {}

    static Path platform() {
        return Project.dir().resolve(".platform/nginx");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text without comments, each remaining non-blank line trimmed and with single spaces. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).trim().replaceAll("\\s+", " ");
            if (!l.isEmpty()) out.add(l);
        }
        return out;
    }

    /** Arguments of every occurrence of {@code directive}, e.g. "300s" for "proxy_read_timeout 300s;". */
    static List<String> values(String text, String directive) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(directive) + "\\s+([^;]+);")
                .matcher(String.join("\n", lines(text)));
        while (m.find()) out.add(m.group(1).trim());
        return out;
    }

    /** nginx time ("300s", "310", "5m") in seconds. */
    static long seconds(String time) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(time.trim());
        if (!m.matches()) throw new IllegalArgumentException("not an nginx time: " + time);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n / 1000;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
    }

    /** The body of {@code location PREFIX { ... }} (no nested blocks expected). */
    static String location(String text, String prefix) {
        Matcher m = Pattern.compile("location\\s+" + Pattern.quote(prefix) + "\\s*\\{([^}]*)}")
                .matcher(text);
        if (!m.find()) throw new AssertionError("no location " + prefix);
        return m.group(1);
    }
}
