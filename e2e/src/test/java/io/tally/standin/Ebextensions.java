package io.tally.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads .ebextensions/*.config files the strict way: YAML, no duplicate keys, both option_settings
 * forms. Used by the deployment tests and by the stand-in, which applies the JVM options and
 * environment properties as Beanstalk would.
 */
public final class Ebextensions {
    private Ebextensions() {}

    public record Setting(Path file, String namespace, String option, Object value) {}

    /** Parses one file; a duplicated key is an error (Beanstalk would silently drop one of them). */
    public static Object parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    public static Object parse(Path file) {
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
    public static List<Setting> settings(Path file, Object doc) {
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
                out.add(new Setting(
                        file,
                        String.valueOf(m.get("namespace")),
                        String.valueOf(m.get("option_name")),
                        m.get("value")));
            }
        }
        return out;
    }

    /** Every option setting of every .ebextensions/*.config under {@code projectDir}, files in name order. */
    public static List<Setting> all(Path projectDir) {
        List<Setting> out = new ArrayList<>();
        Path dir = projectDir.resolve(".ebextensions");
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f :
                    s.filter(p -> p.toString().endsWith(".config")).sorted().toList())
                out.addAll(settings(f, parse(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The value of one option, or null. */
    public static Object value(Path projectDir, String namespace, String option) {
        return all(projectDir).stream()
                .filter(s -> s.namespace().equals(namespace) && s.option().equals(option))
                .map(Setting::value)
                .findFirst()
                .orElse(null);
    }

    /** JVM options as the Tomcat platform builds them from aws:elasticbeanstalk:container:tomcat:jvmoptions. */
    public static String jvmOptions(Path projectDir) {
        String ns = "aws:elasticbeanstalk:container:tomcat:jvmoptions";
        List<String> parts = new ArrayList<>();
        Object xms = value(projectDir, ns, "Xms");
        Object xmx = value(projectDir, ns, "Xmx");
        Object free = value(projectDir, ns, "JVM Options");
        if (xms != null) parts.add("-Xms" + xms);
        if (xmx != null) parts.add("-Xmx" + xmx);
        if (free != null) parts.add(free.toString());
        return String.join(" ", parts);
    }

    /** Environment properties (aws:elasticbeanstalk:application:environment). */
    public static Map<String, String> environment(Path projectDir) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Setting s : all(projectDir)) {
            if (s.namespace().equals("aws:elasticbeanstalk:application:environment"))
                env.put(s.option(), String.valueOf(s.value()));
        }
        return env;
    }
}
