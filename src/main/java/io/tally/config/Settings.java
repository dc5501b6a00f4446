package io.tally.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * Named settings with defaults, read from one lookup (environment variables, Beanstalk environment
 * properties as system properties, or servlet context parameters layered over them). A malformed
 * value is a start-up error that names the setting: a typo never silently becomes a default.
 */
public final class Settings {
    private final Function<String, String> source;

    public Settings(Function<String, String> source) {
        this.source = source;
    }

    /** Environment variables, then JVM system properties (how Beanstalk also passes its properties). */
    public static Settings fromEnvironment() {
        return new Settings(name -> {
            String v = System.getenv(name);
            return v != null ? v : System.getProperty(name);
        });
    }

    /** These settings with {@code overrides} consulted first. */
    public Settings overriddenBy(Function<String, String> overrides) {
        return new Settings(name -> {
            String v = overrides.apply(name);
            return v != null ? v : source.apply(name);
        });
    }

    public String string(String name, String defaultValue) {
        String v = source.apply(name);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String v = string(name, null);
        if (v == null) return defaultValue;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max)
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
        return n;
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = string(name, null);
        if (v == null) return defaultValue;
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "1":
            case "on":
                return true;
            case "false":
            case "no":
            case "0":
            case "off":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        }
    }
}
