package io.tally.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads .ebextensions/*.config files the strict way: YAML, no duplicate keys, both option_settings forms. */
final class Ebextensions {
    private Ebextensions() {
    }

    record Setting(Path file, String namespace, String option, Object value) {
    }

    /** Parses one file; a duplicated key is an error (Beanstalk would silently drop one of them). */
    static Object parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    static Object parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * option_settings of one parsed file. Beanstalk accepts a map of namespace → {option: value} or
     * a list of {namespace, option_name, value}.
     */
    static List<Setting> settings(Path file, Object doc) {
        List<Setting> out = new ArrayList<>();
        if (!(doc instanceof Map<?, ?> top)) return out;
        Object os = top.get("option_settings");
        if (os instanceof Map<?, ?> byNamespace) {
            for (Map.Entry<?, ?> ns : byNamespace.entrySet()) {
                if (!(ns.getValue() instanceof Map<?, ?> opts)) {
                    out.add(new Setting(file, String.valueOf(ns.getKey()), "(not a map of options)", ns.getValue()));
                    continue;
                }
                for (Map.Entry<?, ?> o : opts.entrySet()) {
                    out.add(new Setting(file, String.valueOf(ns.getKey()), String.valueOf(o.getKey()), o.getValue()));
                }
            }
        } else if (os instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> m = item instanceof Map<?, ?> mm ? mm : Map.of();
                out.add(new Setting(file, String.valueOf(m.get("namespace")), String.valueOf(m.get("option_name")), m.get("value")));
            }
        }
        return out;
    }

    static List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        for (Path f : Project.ebextensions()) out.addAll(settings(f, parse(f)));
        return out;
    }

    static Object value(String namespace, String option) {
        return all().stream().filter(s -> s.namespace().equals(namespace) && s.option().equals(option))
                .map(Setting::value).findFirst().orElse(null);
    }

    static long number(String namespace, String option) {
        Object v = value(namespace, option);
        if (v == null) throw new AssertionError(namespace + " " + option + " is not set");
        return Long.parseLong(v.toString());
    }
}
