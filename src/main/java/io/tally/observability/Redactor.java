package io.tally.observability;

import io.tally.config.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of log lines, as a last line of defence behind "never log a secret": every
 * configured secret value is masked wherever it appears, and so is anything shaped like one (the
 * password in a Redis URL, a bearer token) even if it was never configured here.
 */
final class Redactor {
    static final String MASK = "***";
    /** Settings that hold secrets. REDIS_URL holds one inside it (its user-info). */
    static final List<String> SECRET_SETTINGS = List.of("TALLY_ADMIN_TOKEN", "TALLY_METRICS_TOKEN");
    /** Environment variables whose names say they hold a secret, whatever application reads them. */
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY).*");

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/\\s:@]*:)[^@\\s/]+@");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    /** Shorter values would mask innocent words; URL and bearer patterns still cover them. */
    private static final int MIN_SECRET_LENGTH = 6;

    private final List<String> secrets;

    Redactor(List<String> secrets) {
        List<String> s = new ArrayList<>();
        for (String v : secrets) if (v != null && v.length() >= MIN_SECRET_LENGTH && !s.contains(v)) s.add(v);
        s.sort(Comparator.comparingInt(String::length).reversed()); // a secret containing another is masked whole
        this.secrets = List.copyOf(s);
    }

    /** The secrets these settings and this process environment hold. */
    static Redactor from(Settings settings, Map<String, String> environment) {
        List<String> values = new ArrayList<>();
        for (String name : SECRET_SETTINGS) values.add(settings.string(name, null));
        values.add(urlPassword(settings.string("REDIS_URL", null)));
        environment.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) values.add(value);
            if (name.endsWith("_URL")) values.add(urlPassword(value));
        });
        return new Redactor(values);
    }

    /** The password part of {@code scheme://user:password@host…}, or null. */
    static String urlPassword(String url) {
        if (url == null) return null;
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) return null;
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        return colon < 0
                ? userInfo
                : userInfo.substring(colon + 1); // redis://secret@host: AUTH with the password alone
    }

    String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String s : secrets) if (out.contains(s)) out = out.replace(s, MASK);
        out = replaceAll(URL_PASSWORD, out);
        out = replaceAll(BEARER, out);
        return out;
    }

    private static String replaceAll(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find()
                ? m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK + (p == URL_PASSWORD ? "@" : "")))
                : text;
    }
}
