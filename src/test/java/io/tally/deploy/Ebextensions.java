package io.tally.deploy;

import java.nio.file.Path;
import java.util.List;

/** The project's .ebextensions, read by {@link io.tally.standin.Ebextensions} (shared with the stand-in). */
final class Ebextensions {
    private Ebextensions() {}

    record Setting(Path file, String namespace, String option, Object value) {}

    static Object parse(String text) {
        return io.tally.standin.Ebextensions.parse(text);
    }

    static Object parse(Path file) {
        return io.tally.standin.Ebextensions.parse(file);
    }

    static List<Setting> all() {
        return io.tally.standin.Ebextensions.all(Project.dir()).stream()
                .map(s -> new Setting(s.file(), s.namespace(), s.option(), s.value()))
                .toList();
    }

    static Object value(String namespace, String option) {
        return io.tally.standin.Ebextensions.value(Project.dir(), namespace, option);
    }

    static long number(String namespace, String option) {
        Object v = value(namespace, option);
        if (v == null) throw new AssertionError(namespace + " " + option + " is not set");
        return Long.parseLong(v.toString());
    }
}
